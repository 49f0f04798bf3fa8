// Encrypted list matching (隐私求交, ECDH-PSI): the platform's side of a run, against a licensed dataset field.
export { runPsi } from './run-psi.ts';
export type { PsiDeps } from './run-psi.ts';
export { PsiPointCache, serverPoints } from './server-points.ts';
export type { ServerPoints } from './server-points.ts';
export { PSI_LIMITS, psiRequestSchema, psiResponseSchema } from './schemas.ts';
export type { PsiRequest, PsiResponse } from './schemas.ts';
