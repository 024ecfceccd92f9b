// Renders the benchmark results (the same object that is written as JSON) as plain-text tables,
// each figure beside its target and whether it is met.
const MODE_LABEL = { rich: 'PEP 658 + ranges', plain: 'plain (no 658/ranges)' };

function table(header, rows, leftColumns = 1) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells
      .map((cell, i) => (i < leftColumns ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), line(header.map((_, i) => '-'.repeat(widths[i]))), ...rows.map(line)].join('\n');
}

const ms = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const spread = (s) => `${ms(s.medianMs)} [${ms(s.minMs)}–${ms(s.maxMs)}]`;
const ratio = (r) => `${r.toFixed(2)}×`;
const verdict = (met) => (met ? 'met' : 'NOT MET');

function requestSummary(c) {
  if (c === null || c === undefined) return 'n/a';
  const parts = [];
  if (c.pages) parts.push(`${c.pages} pages${c.pagesJson ? ` (${c.pagesJson} JSON)` : ''}`);
  if (c.pagesNotModified) parts.push(`${c.pagesNotModified} pages 304`);
  if (c.metadata) parts.push(`${c.metadata} .metadata`);
  if (c.ranges) parts.push(`${c.ranges} ranges`);
  if (c.heads) parts.push(`${c.heads} HEAD`);
  if (c.files) parts.push(`${c.files} files`);
  if (c.notFound) parts.push(`${c.notFound} 404`);
  return `${c.requests} (${parts.join(', ') || 'none'}; ${(c.bytes / 1e6).toFixed(1)} MB)`;
}

export function renderTables(results) {
  const out = [];
  const m = results.meta;
  out.push(`safe-pip benchmarks · ${m.quick ? 'QUICK (smoke) · ' : ''}node ${m.node} · ${m.pipVersion} · ${m.cpus} CPUs · load ${m.loadAverageStart.toFixed(1)} → ${m.loadAverageEnd.toFixed(1)} · ${m.durationSeconds.toFixed(0)} s`);
  if (m.latencyMs > 0) out.push(`Index latency: every answer held back ${m.latencyMs} ms (--latency), as from a distant index.`);
  out.push('Figures: median [min–max] ms of interleaved runs. Full figures: bench/results/latest.json (or --json).');
  if (m.loadAverageStart > m.cpus || m.loadAverageEnd > m.cpus) out.push(`Note: the machine was busy (load above ${m.cpus}); absolute times are inflated and noisier, ratios less so.`);

  const pass = results.suites.find((s) => s.name === 'passthrough');
  if (pass) {
    out.push('', `1. Pass-through overhead — target: bin/pip at most ${pass.rows[0]?.target?.maxPercent ?? 5}% over the real pip`);
    out.push(
      table(
        ['case', 'rounds', 'real pip ms', 'bin/pip ms', 'overhead', 'target'],
        pass.rows.map((r) => [r.case, r.rounds, spread(r.real), spread(r.shim), `${r.overheadMs >= 0 ? '+' : ''}${r.overheadMs.toFixed(1)} ms ${r.overheadPercent >= 0 ? '+' : ''}${r.overheadPercent.toFixed(1)}%`, r.target ? verdict(r.target.met) : 'info']),
      ),
    );
  }

  const fixed = results.suites.find((s) => s.name === 'fixed-cost');
  if (fixed) {
    out.push('', `1b. Fixed cost of an intercepted command — \`pip install --target T --no-index WHEEL\` (already in T), warm safe-pip cache; target: at most ${results.targets.fixedCostMaxMs} ms over the real pip`);
    out.push(
      table(
        ['case', 'rounds', 'real pip ms', 'bin/pip ms', 'overhead', 'target'],
        fixed.rows.map((r) => (r.skipped ? [r.case, '-', '-', '-', '-', `skipped: ${r.skipped}`] : [r.case, r.rounds, spread(r.real), spread(r.shim), `${r.overheadMs >= 0 ? '+' : ''}${r.overheadMs.toFixed(1)} ms`, verdict(r.target.met)])),
      ),
    );
    out.push('', '1c. Start-up (information; no pip runs)');
    out.push(table(['case', 'runs', 'ms'], fixed.startup.map((r) => [r.case, r.runs, spread(r)])));
  }

  const fetches = results.suites.filter((s) => s.kind === 'fetch');
  if (fetches.length > 0) {
    out.push('', '2. safe-pip fetch vs pip download --only-binary :all: — cold caches both; target: at most 0.5× pip (aim 0.25×); warm = safe-pip cache kept');
    out.push(
      table(
        ['closure', 'index', 'rounds', 'pip ms', 'fetch cold ms', 'ratio', 'fetch warm ms', 'ratio', 'ms/pkg pip|cold|warm', 'target'],
        fetches.map((s) => [
          s.size,
          MODE_LABEL[s.index],
          s.rounds,
          spread(s.variants.pip),
          spread(s.variants['safe-pip cold']),
          ratio(s.ratios['safe-pip cold']),
          spread(s.variants['safe-pip warm']),
          ratio(s.ratios['safe-pip warm']),
          `${s.variants.pip.msPerPackage.toFixed(1)}|${s.variants['safe-pip cold'].msPerPackage.toFixed(1)}|${s.variants['safe-pip warm'].msPerPackage.toFixed(1)}`,
          `${verdict(s.target.met)}${s.target.met ? (s.target.aimMet ? ' (aim met)' : ' (aim not met)') : ''}`,
        ]),
        2,
      ),
    );
  }

  const real = results.realSets;
  if (real) {
    const t = results.targets;
    out.push('', `2b. safe-pip fetch vs pip download --only-binary :all: on real requirement sets, from a loopback copy of the wheel mirror ${real.mirror} (HTML pages, no metadata files, no ranges) — cold caches both; target: the sum at most ${t.realSetsSumMaxRatio}× pip, every set at most ${t.realSetsEachMaxRatio}×`);
    if (real.skipped) out.push(`skipped: ${real.skipped}`);
    const sets = results.suites.filter((s) => s.kind === 'fetch-real');
    if (sets.length > 0) {
      const rows = sets.map((s) =>
        s.skipped !== undefined
          ? [s.requirements, '-', '-', '-', '-', '-', '-', '-', `skipped: ${s.skipped}`]
          : [s.requirements, s.files, s.rounds, spread(s.variants.pip), spread(s.variants['safe-pip cold']), ratio(s.ratios['safe-pip cold']), spread(s.variants['safe-pip warm']), ratio(s.ratios['safe-pip warm']), verdict(s.ratios['safe-pip cold'] <= t.realSetsEachMaxRatio)],
      );
      if (real.sum) rows.push([`sum of ${real.sum.sets} sets`, '', '', ms(real.sum.pipMs), ms(real.sum.coldMs), ratio(real.sum.ratio), ms(real.sum.warmMs), ratio(real.sum.warmRatio), verdict(real.sum.target.met)]);
      out.push(table(['requirements', 'files', 'rounds', 'pip ms', 'fetch cold ms', 'ratio', 'fetch warm ms', 'ratio', 'target'], rows, 1));
    }
  }

  for (const [kind, number, title] of [
    ['download', 3, 'Intercepted `pip download -d DIR ROOT` (bin/pip) vs plain pip — cold caches both; target: at most 1.0× plain pip (issue 12)'],
    ['install', 4, 'Intercepted `pip install --target DIR ROOT` (bin/pip) vs plain pip — cold caches both; target: at most 1.0× plain pip (issue 12)'],
  ]) {
    const suites = results.suites.filter((s) => s.kind === kind);
    if (suites.length === 0) continue;
    out.push('', `${number}. ${title}`);
    out.push(
      table(
        ['closure', 'index', 'rounds', 'pip ms', 'bin/pip ms', 'ratio', 'ms/pkg pip|bin/pip', 'target'],
        suites.map((s) => [s.size, MODE_LABEL[s.index], s.rounds, spread(s.variants.pip), spread(s.variants['bin/pip']), ratio(s.ratios['bin/pip']), `${s.variants.pip.msPerPackage.toFixed(1)}|${s.variants['bin/pip'].msPerPackage.toFixed(1)}`, verdict(s.target.met)]),
        2,
      ),
    );
  }

  const uvSuites = results.suites.filter((s) => s.kind?.startsWith('uv-'));
  if (uvSuites.length > 0) {
    const title = { 'uv-resolve': 'resolve: uv pip compile --only-binary :all: | safe-pip explain install | pip install --dry-run --report', 'uv-install': 'install --target: uv pip install --target | bin/pip install --target | pip install --target' };
    out.push('', `6. Side by side with uv (${results.meta.uv ?? 'uv'}) — cold caches all; ratio = safe-pip's median over the other's`);
    out.push(
      table(
        ['row', 'closure', 'index', 'rounds', 'uv ms', 'safe-pip ms', 'pip ms', 'safe-pip/uv', 'safe-pip/pip'],
        uvSuites.map((s) => [title[s.kind], s.size, MODE_LABEL[s.index], s.rounds, s.variants.uv ? spread(s.variants.uv) : `n/a: ${s.uvMissing}`, spread(s.variants['safe-pip']), spread(s.variants.pip), s.safePipOverUv === null ? 'n/a' : ratio(s.safePipOverUv), ratio(s.safePipOverPip)]),
      ),
    );
  }

  if (results.memory.length > 0) {
    out.push('', `5. Peak RSS of safe-pip's own Node process (getrusage of that process; pip's Python not included) — target: under ${results.targets.peakRssMb} MB at the largest closure`);
    out.push(
      table(
        ['run', 'closure', 'index', 'peak RSS MB', 'target'],
        results.memory.map((r) => [r.run, r.size, MODE_LABEL[r.index], r.peakRssMb === null ? 'n/a' : r.peakRssMb.toFixed(1), r.targeted ? verdict(r.met) : 'info']),
        1,
      ),
    );
  }

  const withRequests = results.suites.filter((s) => s.variants && !s.kind.startsWith('uv-'));
  if (withRequests.length > 0) {
    out.push('', 'Index requests per run (last run of each; from the loopback server log)');
    for (const s of withRequests) {
      out.push(`  ${s.name}: ${Object.entries(s.variants).map(([name, v]) => `${name} ${requestSummary(v.requests)}`).join(' | ')}`);
    }
  }

  const problems = results.suites.flatMap((s) => (s.problems ?? []).map((p) => `${s.name}: ${p}`));
  const errors = results.errors ?? [];
  if (problems.length + errors.length > 0) {
    out.push('', 'Problems');
    for (const p of problems) out.push(`  ${p}`);
    for (const e of errors) out.push(`  ${e.suite}: ${e.message.split('\n').join('\n    ')}`);
  }
  return `${out.join('\n')}\n`;
}
