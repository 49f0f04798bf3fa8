// Differential privacy: zCDP accounting, exact discrete noise, and the DP forms of the platform's statistics.
export { BUDGET_DELTA, budgetGauge, epsilonFromRho, NANO, PARTITION_DELTA, rhoFromEpsilon, rhoOfAsk, toNano } from './accountant.ts';
export type { BudgetGauge, PrivacyAsk } from './accountant.ts';
export { cryptoRandom } from './random.ts';
export type { RandomSource } from './random.ts';
export { bernoulli, bernoulliExp, discreteGaussian, discreteLaplace, isqrt } from './samplers.ts';
export { gaussianMechanism, gaussianNoiser, gaussianNoiserRho, laplaceMechanism, laplaceNoiser } from './mechanisms.ts';
export type { GaussianParams, NoiseBase, NoiseParams, Noiser, RhoGaussianParams } from './mechanisms.ts';
export { noisyTree, prefixCount, treeLevels, treeQuantile } from './quantile-tree.ts';
export type { NoisyTree, TreeQuantile } from './quantile-tree.ts';
export { erfc, selectionThreshold, upperNormalQuantile } from './selection.ts';
export { gaussianSource, ratio, simulated, symmetric, Z95 } from './intervals.ts';
export type { Interval } from './intervals.ts';
export { fitDpModel, INTERCEPT_TERM, LOGISTIC_STEPS } from './models.ts';
export type { Bounds as DpBounds, DpModelFit, DpModelInput } from './models.ts';
