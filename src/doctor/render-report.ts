// The text form of a DoctorReport: short labelled lines, then each problem with its fix, then
// warnings, then the verdict. No colour, no glyphs (it is often pasted into bug reports).
import { rcOnlyIntegration, tildePath, type RouteStatus } from './command-routes.js';
import { ALLOW_ENV } from '../cli/intercept/allow-list.js';
import type { DoctorReport, Finding } from './doctor-report.js';

const STATUS_WORD: Record<RouteStatus, string> = {
  protected: 'protected',
  partial: 'PARTLY protected',
  unprotected: 'NOT protected',
  absent: 'not found',
};

function rows(label: string, values: readonly string[]): string[] {
  const pad = (text: string): string => text.padEnd(17);
  if (values.length === 0) return [];
  return values.map((value, i) => `  ${pad(i === 0 ? label : '')}${value}`);
}

function findings(title: string, word: string, items: readonly Finding[]): string[] {
  if (items.length === 0) return [];
  const lines = ['', `${title}:`];
  for (const item of items) {
    lines.push(`  ${word}: ${item.message}`);
    if (item.fix !== null) lines.push(`    fix: ${item.fix}`);
  }
  return lines;
}

export function renderDoctorReport(report: DoctorReport, env: NodeJS.ProcessEnv): string {
  const t = (path: string): string => tildePath(path, env);
  const lines: string[] = ['In this shell'];
  for (const route of report.commands) {
    lines.push(`  ${route.command.padEnd(17)}${STATUS_WORD[route.status].padEnd(17)}${route.detail}`);
  }
  const shell = report.shellIntegration;
  if (shell.loaded !== null) {
    lines.push(`  (this ${shell.loaded.shell} has loaded safe-pip's shell integration: its \`safe-pip\` function told doctor what the names are here)`);
  } else if (rcOnlyIntegration(shell)) {
    const rc = t(shell.rcFile!);
    lines.push(
      `  (${rc} has safe-pip's shell integration, but this ${shell.shell} has not loaded it: open a new terminal`,
      `   or \`source ${rc}\`; doctor sees a loaded integration only when started as \`safe-pip doctor\` in that shell)`,
    );
  } else if (shell.shell === null) {
    lines.push('  (no bash, zsh or fish found in the parent process or $SHELL: shell functions not checked)');
  }

  lines.push('', 'Real pip');
  const real = report.realPip;
  if (real.path === null) lines.push(...rows('pip', ['none found']));
  else lines.push(...rows('pip', [t(real.path)]));
  if (real.pipVersion !== null) {
    lines.push(...rows('versions', [`pip ${real.pipVersion}, Python ${real.pythonVersion} (${t(real.python!)})${real.virtualenv ? ', a virtualenv' : ''}`]));
  }
  const table = report.optionTable;
  if (table !== null && real.pipVersion !== null) {
    const described = {
      exact: `known to safe-pip (pip ${table.tableVersion}'s options)`,
      'nearest-older': `read with the options of pip ${table.tableVersion}, the nearest older pip safe-pip knows`,
      'newer-than-known': `NEWER than every pip safe-pip knows (newest ${table.tableVersion})`,
      'older-than-known': `OLDER than every pip safe-pip knows (oldest ${table.tableVersion})`,
    }[table.status];
    lines.push(...rows('pip version', [described]));
  } else if (real.error !== null) {
    lines.push(...rows('error', [real.error.split('\n')[0]!]));
  }

  lines.push('', 'pip configuration');
  const files = report.configFiles.filter((f) => f.exists);
  if (report.configDisabled) lines.push(...rows('config files', ['none read (PIP_CONFIG_FILE=/dev/null)']));
  else if (report.realPip.pipVersion === null) lines.push(...rows('config files', ['unknown (no working real pip)']));
  else if (files.length === 0) lines.push(...rows('config files', ['none exist']));
  else lines.push(...rows('config files', files.map((f) => `${t(f.path)} (${f.variant})${f.note === null ? '' : `: ${f.note}`}`)));
  const variables = [...report.pipVariables, ...report.safePipVariables].map((v) => `${v.name}=${v.value}`);
  lines.push(...rows('variables', variables.length === 0 ? ['no PIP_* or SAFE_PIP_* variables set'] : variables));
  const index = report.index;
  if (index.url !== null) {
    const check = index.check;
    const state = check === null ? (index.offline ? 'not checked (--offline)' : 'not checked') : check.status === 'answers' ? `answers (${check.detail})` : `${check.status === 'unreachable' ? 'UNREACHABLE' : 'error'}: ${check.detail}`;
    lines.push(...rows('index', [`${index.url} (${index.source})`, `  ${state}`]));
    for (const extra of index.extraIndexes) {
      lines.push(...rows('extra index', [extra.url, `  ${extra.status === 'answers' ? `answers (${extra.detail})` : extra.detail}`]));
    }
  } else if (report.realPip.pipVersion !== null) {
    lines.push(...rows('index', ['none (--no-index is set)']));
  }
  lines.push(...rows('find-links', index.findLinks));
  lines.push(...rows('cache', [`safe-pip: ${t(report.cache.safePip)}`, `pip: ${report.cache.pip === null ? 'off' : t(report.cache.pip)}`]));

  lines.push('', 'safe-pip configuration');
  const own = report.safePipConfig;
  const present = own.files.filter((f) => f.exists);
  if (own.error !== null) lines.push(...rows('config files', ['unreadable (see the problem below)']));
  else if (present.length === 0) lines.push(...rows('config files', [`none exist (${own.files.map((f) => t(f.path)).join(', ')})`]));
  else lines.push(...rows('config files', present.map((f) => t(f.path))));
  const allowed = own.allowBuild.map((entry) => `${entry.project} (${entry.source === ALLOW_ENV ? ALLOW_ENV : t(entry.source)})`);
  lines.push(...rows('allow-build', allowed.length === 0 ? ['nothing: install, wheel and lock build nothing from an index or URL'] : allowed));
  lines.push(...rows('malware records', [advisoriesLine(report.advisories, Date.now())]));

  lines.push(...findings('Problems', 'problem', report.problems));
  lines.push(...findings('Warnings', 'warning', report.warnings));
  lines.push(
    '',
    report.ok
      ? 'Result: pip reaches safe-pip in this shell.'
      : `Result: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}; see the fixes above (exit status 1).`,
  );
  return `${lines.join('\n')}\n`;
}

/** The offline malware data's size and age, or how to get it. */
export function advisoriesLine(advisories: DoctorReport['advisories'], nowMs: number): string {
  if (advisories === null) return 'none yet: run `safe-pip update-advisories` to refuse known malicious releases offline';
  const days = Math.floor((nowMs - Date.parse(advisories.updatedAt)) / 86_400_000);
  const age = Number.isNaN(days) ? 'of unknown age' : days <= 0 ? 'updated today' : `updated ${days} day${days === 1 ? '' : 's'} ago`;
  return `${advisories.records} records, ${age} (${advisories.path})`;
}
