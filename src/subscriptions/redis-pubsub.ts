import type { Redis } from 'ioredis';
import { deliver, logHandlerError, type Listener, type PubSub } from './pubsub.js';

/**
 * Publish/subscribe across instances over Redis pub/sub (ioredis): PUBLISH on the command
 * connection, SUBSCRIBE on a dedicated subscriber connection. Each channel is subscribed once per
 * instance however many local handlers it has, and unsubscribed when the last one leaves, so an
 * instance only receives the sessions its own clients watch.
 */

export interface RedisPubSubOptions {
  /** Commands and PUBLISH. */
  publisher: Redis;
  /** Used for SUBSCRIBE only. */
  subscriber: Redis;
  /** Prepended to every topic to make the channel name (REDIS_KEY_PREFIX). */
  prefix: string;
}

export interface RedisPubSub extends PubSub<string> {
  /** The Redis channel of a topic (for Lua scripts that PUBLISH themselves). */
  channel(topic: string): string;
}

interface Channel {
  topic: string;
  handlers: Set<Listener<string>>;
  /** Settles when the server confirmed SUBSCRIBE. */
  subscribed: Promise<void>;
}

export function createRedisPubSub({ publisher, subscriber, prefix }: RedisPubSubOptions): RedisPubSub {
  const channels = new Map<string, Channel>();
  const channelOf = (topic: string): string => `${prefix}${topic}`;

  const onMessage = (channelName: string, message: string): void => {
    const channel = channels.get(channelName);
    if (channel) deliver(channel.handlers, message, logHandlerError);
  };
  subscriber.on('message', onMessage);

  return {
    channel: channelOf,
    async subscribe(topic, handler) {
      const name = channelOf(topic);
      let channel = channels.get(name);
      if (!channel) {
        const created: Channel = { topic, handlers: new Set(), subscribed: Promise.resolve() };
        // Commands on one connection run in order, so a SUBSCRIBE sent after a pending UNSUBSCRIBE
        // of the same channel leaves it subscribed.
        created.subscribed = subscriber.subscribe(name).then(() => undefined);
        channels.set(name, created);
        channel = created;
        created.subscribed.catch(() => {
          if (channels.get(name) === created) channels.delete(name);
        });
      }
      const entry: Listener<string> = { handler };
      channel.handlers.add(entry);
      try {
        await channel.subscribed;
      } catch (err) {
        channel.handlers.delete(entry);
        throw err;
      }
      const mine = channel;
      return async () => {
        mine.handlers.delete(entry);
        if (mine.handlers.size > 0 || channels.get(name) !== mine) return;
        channels.delete(name);
        try {
          await subscriber.unsubscribe(name);
        } catch {
          // Redis is away: the subscription dies with the connection, and autoResubscribe only
          // restores channels ioredis still lists; a stray message is ignored by onMessage.
        }
      };
    },
    async publish(topic, message) {
      await publisher.publish(channelOf(topic), message);
    },
    topics: () => [...channels.values()].map((c) => c.topic),
    async close() {
      subscriber.off('message', onMessage);
      const names = [...channels.keys()];
      channels.clear();
      if (names.length > 0 && subscriber.status === 'ready') {
        try {
          await subscriber.unsubscribe(...names);
        } catch {
          // closing anyway
        }
      }
    },
  };
}
