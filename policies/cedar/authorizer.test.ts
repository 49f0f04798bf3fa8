// The authorizer's own behaviour around the policies: fail closed on what Cedar cannot evaluate, the clock, entity
// slices that overlap, and the audit event of a decision.
import { describe, expect, it } from 'vitest';
import { decisionAuditEvent } from './audit.ts';
import { createAuthorizer } from './authorizer.ts';
import { datasetEntity, epochSeconds, operatorEntity, publicEntity, WHITELIST_RESOURCE } from './entities.ts';
import { DATASETS, dataset, LICENSE_POPULATION, NOW, operator, staff } from './fixtures.ts';
import { readCedarFiles } from './load.ts';

const authorizer = createAuthorizer({ now: () => NOW });
const submit = { principal: operator.active, action: 'SubmitJob', resource: dataset.population, context: { license: 'lic-pop', fields: ['region_code'], operations: ['aggregate'] } } as const;

describe('authorize', () => {
  it('denies, with the reason, when the named licence is not among the entities (fail closed)', () => {
    const answer = authorizer.authorize({ ...submit, context: { ...submit.context, license: 'lic-unknown' } });
    expect(answer.decision).toBe('deny');
    expect(answer.errors.length).toBeGreaterThan(0);
    expect(answer.errors.join('\n')).toMatch(/lic-unknown/);
  });

  it('denies an entity that does not match the schema', () => {
    const broken = { ...operator.active, entities: [{ ...operator.active.entities[0]!, attrs: { status: 'active' } }, ...operator.active.entities.slice(1)] };
    const answer = authorizer.authorize({ ...submit, principal: broken });
    expect(answer).toMatchObject({ decision: 'deny', policyIds: [] });
    expect(answer.errors[0]).toMatch(/status/);
  });

  it('denies a resource of a type the action does not apply to', () => {
    const answer = authorizer.authorize({ ...submit, resource: WHITELIST_RESOURCE } as never);
    expect(answer.decision).toBe('deny');
    expect(answer.errors[0]).toMatch(/Gov::Whitelist/);
  });

  it('reads the clock when a context has no `now`', () => {
    let now = NOW;
    const clocked = createAuthorizer({ now: () => now });
    expect(clocked.authorize(submit).decision).toBe('allow');
    now = LICENSE_POPULATION.validTo;
    expect(clocked.authorize(submit)).toMatchObject({ decision: 'deny', policyIds: ['license-outside-validity'] });
  });

  it('accepts the same entity from principal and resource once', () => {
    const answer = authorizer.authorize({ ...submit, entities: [...dataset.population.entities, ...operator.active.entities] });
    expect(answer.decision).toBe('allow');
  });

  it('two authorizers with different policies do not share a policy set', () => {
    const onlyForbids = readCedarFiles().policies.filter((f) => f.source === 'forbids.cedar');
    const denying = createAuthorizer({ now: () => NOW, files: { schema: readCedarFiles().schema, policies: onlyForbids } });
    expect(denying.authorize(submit)).toEqual({ decision: 'deny', policyIds: [], errors: [] });
    expect(authorizer.authorize(submit).decision).toBe('allow');
  });
});

describe('operatorEntity', () => {
  it('a dataset listed twice in a licence grants the union of both entries', () => {
    const license = {
      ...LICENSE_POPULATION,
      datasets: [
        { code: 'population', fields: ['sex'], operations: ['aggregate' as const] },
        { code: 'population', fields: ['region_code'], operations: ['model' as const] },
      ],
    };
    const principal = operatorEntity({ id: 'op-active', status: 'active' }, [license]);
    const request = { ...submit, principal, context: { license: license.id, fields: ['sex', 'region_code'], operations: ['aggregate', 'model'] } } as const;
    expect(authorizer.authorize(request).decision).toBe('allow');
  });
});

describe('epochSeconds', () => {
  it('rounds towards the safe side and refuses an invalid date', () => {
    expect(epochSeconds(new Date(1500))).toBe(1);
    expect(epochSeconds(new Date(1500), 'ceil')).toBe(2);
    expect(() => epochSeconds(new Date(Number.NaN))).toThrow(TypeError);
  });
});

describe('decisionAuditEvent', () => {
  it('records an allow with its determining policy', () => {
    expect(decisionAuditEvent(submit, authorizer.authorize(submit))).toEqual({
      actor: { type: 'operator', id: 'op-active' },
      action: 'authz.submit_job',
      resource: 'dataset:population',
      outcome: 'allow',
      details: { cedarAction: 'SubmitJob', policies: ['operator-submits-licensed-job'] },
    });
  });

  it('records a deny of the public', () => {
    const request = { principal: publicEntity(), action: 'DownloadDataset', resource: datasetEntity(DATASETS.population) } as const;
    expect(decisionAuditEvent(request, authorizer.authorize(request))).toEqual({
      actor: { type: 'public', id: null },
      action: 'authz.download_dataset',
      resource: 'dataset:population',
      outcome: 'deny',
      details: { cedarAction: 'DownloadDataset', policies: ['not-open-never-downloaded'] },
    });
  });

  it('records a singleton resource by name and an evaluation error as outcome error', () => {
    const request = { principal: staff.policeSteward, action: 'ManageWhitelist', resource: WHITELIST_RESOURCE } as const;
    expect(decisionAuditEvent(request, authorizer.authorize(request))).toMatchObject({ resource: 'whitelist', outcome: 'deny' });
    const failing = decisionAuditEvent(request, { decision: 'deny', policyIds: [], errors: ['x'] });
    expect(failing).toMatchObject({ outcome: 'error', details: { errors: ['x'] } });
  });
});
