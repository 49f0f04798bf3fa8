// Human review (人工审查) of job outputs the platform cannot check: stewards list them and approve or reject.
export { listReviews } from './list-reviews.ts';
export { decideReview } from './decide-review.ts';
export type { ReviewDecisionView } from './decide-review.ts';
export { reviewDecisionSchema } from './schemas.ts';
export type { ReviewDecisionInput } from './schemas.ts';
export type { ReviewView } from './review-view.ts';
export type { ReviewsContext } from './context.ts';
