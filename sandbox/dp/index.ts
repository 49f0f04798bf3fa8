// Differential privacy: zCDP accounting, exact discrete noise, and the DP forms of the platform's statistics.
export { BUDGET_DELTA, budgetGauge, epsilonFromRho, NANO, PARTITION_DELTA, rhoFromEpsilon, rhoOfAsk, toNano } from './accountant.ts';
export type { BudgetGauge, PrivacyAsk } from './accountant.ts';
export { cryptoRandom } from './random.ts';
export type { RandomSource } from './random.ts';
export { bernoulli, bernoulliExp, discreteGaussian, discreteLaplace, isqrt } from './samplers.ts';
export { gaussianMechanism, gaussianNoiser, gaussianNoiserRho, laplaceMechanism, laplaceNoiser } from './mechanisms.ts';
export type { GaussianParams, NoiseBase, NoiseParams, Noiser, RhoGaussianParams } from './mechanisms.ts';
