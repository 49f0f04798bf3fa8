// Module boundaries (ARCHITECTURE.md): each library is imported from one module only, and modules depend
// in one direction. `npm run lint:deps` fails on any violation.
/** @type {import('dependency-cruiser').IConfiguration} */
const only = (name, pkg, allowedFolders) => ({
  name,
  severity: 'error',
  comment: `${pkg} may only be imported from ${allowedFolders.join(', ')}`,
  from: { pathNot: `^(${allowedFolders.map((f) => f.replace('/', '\\/')).join('|')})` },
  to: { path: `node_modules/${pkg}/` },
});

module.exports = {
  forbidden: [
    only('hono-only-in-gateway', '(hono|@hono)', ['gateway/', 'bench/']),
    // deploy/: the topology test signs client assertions as an operator's own client would
    only('jose-only-in-gateway-and-sdk', 'jose', ['gateway/', 'sdk/', 'bench/', 'deploy/']),
    only('drivers-only-in-store', '(postgres|@electric-sql/pglite)', ['store/', 'bench/']),
    only('isolated-vm-only-in-sandbox', 'isolated-vm', ['sandbox/']),
    only('crypto-libs-only-in-crypto', '(paillier-bigint|node-seal)', ['crypto/', 'bench/']),
    only('sm2-and-jcs-only-in-crypto', '(sm-crypto-v2|canonicalize)', ['crypto/']),
    only('cedar-only-in-policies', '@cedar-policy', ['policies/']),
    only('metrics-and-traces-only-in-telemetry', '(prom-client|@opentelemetry)', ['telemetry/']),
    {
      name: 'telemetry-is-a-kernel',
      severity: 'error',
      comment: 'telemetry/ (metrics, traces) imports no other module of ours, so every module may report through it',
      from: { path: '^telemetry/', pathNot: '\\.test\\.ts$' },
      to: { path: '^(gateway|sandbox|catalog-open|store|data|bench|policies|crypto|sdk|deploy)/' },
    },
    {
      name: 'drizzle-drivers-only-in-store',
      severity: 'error',
      comment: 'only store/ opens database drivers; other modules may use drizzle-orm query builders and pg-core schemas',
      from: { pathNot: '^store/' },
      to: { path: 'node_modules/drizzle-orm/(pglite|postgres-js)/' },
    },
    {
      name: 'pure-modules-stay-pure',
      severity: 'error',
      comment: 'policies/ and crypto/ import no other module of ours (errors/ is the shared, dependency-free kernel)',
      from: { path: '^(policies|crypto)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^(gateway|sandbox|catalog-open|store|data|bench)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'nobody-imports-gateway',
      severity: 'error',
      comment: 'the gateway is the top: only it (its benchmarks, the red-team tests, which attack through its API, deploy/, the topology around it, and the operator SDK\'s tests, which run against it over HTTP) import it; store/schema.ts gathers its tables',
      from: { pathNot: '^(gateway|bench|red-team|deploy|store/schema\\.ts$)|^sdk/.*\\.test\\.ts$' },
      to: { path: '^gateway/' },
    },
    {
      name: 'sandbox-not-into-catalog',
      severity: 'error',
      from: { path: '^sandbox/' },
      to: { path: '^catalog-open/' },
    },
    {
      name: 'catalog-not-into-sandbox',
      severity: 'error',
      from: { path: '^catalog-open/' },
      to: { path: '^sandbox/' },
    },
    {
      name: 'only-through-index',
      severity: 'error',
      comment: 'other modules import a module through its index.ts only; store/schema.ts gathers every module\'s schema.ts, and a schema.ts may reference another module\'s table for a foreign key',
      from: { path: '^(gateway|sandbox|crypto|catalog-open|policies|store|data|errors|sdk|telemetry|deploy)/', pathNot: '\\.test\\.ts$|^bench/|(^|/)schema\\.ts$' },
      to: {
        path: '^(gateway|sandbox|crypto|catalog-open|policies|store|data|errors|telemetry)/',
        pathNot: ['^$1/', '/index\\.ts$'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
