/**
 * `@restore-session-gateway/client-kit`: what a frontend team needs to use the restore-session gateway from Apollo
 * Client 4. The schema (`schema.graphql`) and the codegen config (`codegen.ts`) are files of the package beside this
 * module; this module holds the cache configuration and the typed error codes.
 */
export { createGatewayCache, createTypePolicies, possibleTypes, typePolicies } from './type-policies.js';
export { connectionPagination, type ConnectionShape } from './connection-pagination.js';
export { errorCode, errorCodes, isGatewayErrorCode } from './error-codes.js';
export { connectionFields, gatewayErrorCodes, keyFields, type GatewayErrorCode } from './generated/schema-facts.js';
