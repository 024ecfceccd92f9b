// The options pip's requirements-file line parser knows: `SUPPORTED_OPTIONS + SUPPORTED_OPTIONS_REQ` in
// src/pip/_internal/req/req_file.py, per release. Read from each release's own `build_parser()` (23.0.1,
// 23.2.1, 24.2 on this machine) and from the option tables in shared/reference/pip-options/ (24.0–26.3.dev0).
//
// Differences modelled: `--install-option` only before 23.1, `-C/--config-settings` from 23.1,
// `--global-option` up to 25.2, `--all-releases`/`--only-final` from 26.0, `--no-require-hashes` from 26.2,
// and the `--use-feature` choices of each release. Prefix abbreviation is resolved against exactly this set.
import type { OptionSpec } from '../../pip/option-spec.js';
import { pipVersionAtLeast } from './pip-version.js';

const stringOpt = (names: string[], action: OptionSpec['action'], dest: string): OptionSpec => ({
  names,
  takesValue: true,
  action,
  dest,
  type: 'string',
  choices: null,
  default: action === 'append' ? [] : null,
});
const flag = (names: string[], dest: string): OptionSpec => ({
  names,
  takesValue: false,
  action: 'store_true',
  dest,
  type: null,
  choices: null,
  default: false,
});

function useFeatureChoices(pipVersion: string): string[] {
  if (pipVersionAtLeast(pipVersion, '26.2')) {
    return ['fast-deps', 'inprocess-build-deps', 'venv-isolation', 'truststore', 'no-binary-enable-wheel-cache', 'build-constraint'];
  }
  if (pipVersionAtLeast(pipVersion, '26.0')) {
    return ['fast-deps', 'build-constraint', 'inprocess-build-deps', 'truststore', 'no-binary-enable-wheel-cache'];
  }
  if (pipVersionAtLeast(pipVersion, '25.3')) return ['fast-deps', 'build-constraint', 'truststore', 'no-binary-enable-wheel-cache'];
  return ['fast-deps', 'truststore', 'no-binary-enable-wheel-cache'];
}

/** The requirements-file parser's options for this pip version, in pip's order. */
export function requirementsFileOptionSpecs(pipVersion: string): OptionSpec[] {
  const specs: OptionSpec[] = [
    { ...stringOpt(['-i', '--index-url', '--pypi-url'], 'store', 'index_url'), default: null },
    stringOpt(['--extra-index-url'], 'append', 'extra_index_urls'),
    flag(['--no-index'], 'no_index'),
    stringOpt(['-c', '--constraint'], 'append', 'constraints'),
    stringOpt(['-r', '--requirement'], 'append', 'requirements'),
    stringOpt(['-e', '--editable'], 'append', 'editables'),
    stringOpt(['-f', '--find-links'], 'append', 'find_links'),
    stringOpt(['--no-binary'], 'callback', 'format_control'),
    stringOpt(['--only-binary'], 'callback', 'format_control'),
  ];
  if (pipVersionAtLeast(pipVersion, '26.0')) {
    specs.push(stringOpt(['--all-releases'], 'callback', 'release_control'));
    specs.push(stringOpt(['--only-final'], 'callback', 'release_control'));
  }
  specs.push(flag(['--prefer-binary'], 'prefer_binary'), flag(['--require-hashes'], 'require_hashes'));
  if (pipVersionAtLeast(pipVersion, '26.2')) specs.push(flag(['--no-require-hashes'], 'no_require_hashes'));
  specs.push(
    flag(['--pre'], 'pre'),
    stringOpt(['--trusted-host'], 'append', 'trusted_hosts'),
    { ...stringOpt(['--use-feature'], 'append', 'features_enabled'), type: 'choice', choices: useFeatureChoices(pipVersion) },
  );
  if (!pipVersionAtLeast(pipVersion, '23.1')) specs.push({ ...stringOpt(['--install-option'], 'append', 'install_options'), default: null });
  if (!pipVersionAtLeast(pipVersion, '25.3')) specs.push({ ...stringOpt(['--global-option'], 'append', 'global_options'), default: null });
  specs.push(stringOpt(['--hash'], 'callback', 'hashes'));
  if (pipVersionAtLeast(pipVersion, '23.1')) specs.push(stringOpt(['-C', '--config-settings'], 'callback', 'config_settings'));
  return specs;
}

/** Options whose values belong to the requirement on the same line (SUPPORTED_OPTIONS_REQ dests). */
export function perRequirementDests(pipVersion: string, editable: boolean): string[] {
  if (editable) {
    // Before 24.0 an editable line carried no per-requirement options at all.
    return pipVersionAtLeast(pipVersion, '24.0') ? ['config_settings'] : [];
  }
  const dests: string[] = [];
  if (!pipVersionAtLeast(pipVersion, '23.1')) dests.push('install_options');
  if (!pipVersionAtLeast(pipVersion, '25.3')) dests.push('global_options');
  dests.push('hashes');
  if (pipVersionAtLeast(pipVersion, '23.1')) dests.push('config_settings');
  return dests;
}

/** pip's utils.hashes.STRONG_HASHES. */
export const STRONG_HASHES: readonly string[] = ['sha256', 'sha384', 'sha512'];
