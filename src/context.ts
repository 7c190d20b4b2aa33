/**
 * The per-request (HTTP) and per-connection (WebSocket) context every resolver receives.
 * Codegen types resolvers against it (`contextType` in codegen.yml). The context issue fills it in
 * (caller identity, Graph token provider, fresh DataLoaders) and adds `createContext` here.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- placeholder until the context issue adds its members
export interface GatewayContext {}
