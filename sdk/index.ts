export { OperatorClient, PlatformError } from './operator-client.ts';
export type { OperatorClientOptions, OperatorCredentials } from './operator-client.ts';
export { credentialsSchema, readCredentials, writeCredentials } from './credentials-file.ts';
export type { CredentialsFile } from './credentials-file.ts';
