import { GRANT_CLIENT_CREDENTIALS, GRANT_JWT_BEARER } from './token-endpoint.js';

/** Headers of the discovery documents, as Entra sends them. */
export const DOCUMENT_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'max-age=86400, private',
  'access-control-allow-origin': '*',
};

/**
 * `/{tenant}/v2.0/.well-known/openid-configuration`: endpoints under the tenant segment the client used, but the issuer
 * fixed whatever tenant alias or Host the document was fetched with, since validators compare it byte for byte.
 */
export function openIdConfiguration(origin: string, issuer: string, tenant: string): Record<string, unknown> {
  const host = new URL(origin).host;
  return {
    token_endpoint: `${origin}/${tenant}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256', 'PS256'],
    jwks_uri: `${origin}/${tenant}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    grant_types_supported: [GRANT_CLIENT_CREDENTIALS, GRANT_JWT_BEARER],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${origin}/${tenant}/oauth2/v2.0/authorize`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${origin}/${tenant}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    tenant_region_scope: 'NA',
    cloud_instance_name: host,
    cloud_graph_host_name: host,
    msgraph_host: host,
  };
}
