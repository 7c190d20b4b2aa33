import { ApolloLink } from '@apollo/client';
import { print } from 'graphql';
import type { Client } from 'graphql-sse';
import { Observable } from 'rxjs';

/**
 * Subscriptions over Server-Sent Events with graphql-sse's client, in its default "distinct connections" mode: one
 * `POST` with `Accept: text/event-stream` per subscription, which is the mode the gateway serves. Apollo Client has no
 * SSE link of its own; this is the one graphql-sse's documentation gives, on Apollo Client 4's rxjs observables.
 */
export class SseLink extends ApolloLink {
  constructor(private readonly client: Client) {
    super();
  }

  override request(operation: ApolloLink.Operation): Observable<ApolloLink.Result> {
    return new Observable<ApolloLink.Result>((sink) =>
      this.client.subscribe<ApolloLink.Result['data']>(
        { query: print(operation.query), variables: operation.variables, operationName: operation.operationName },
        {
          next: (result) => sink.next(result as ApolloLink.Result),
          complete: () => sink.complete(),
          error: (error) => sink.error(error),
        },
      ),
    );
  }
}
