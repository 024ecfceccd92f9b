// PEP 792 project status: reading the field and the decision (src/policy/project-status.ts).
import { describe, expect, it } from 'vitest';
import { decideProjectStatus, projectStatusFromJson } from '../../src/policy/project-status.js';
import { parseJsonDocument } from '../../src/standards/simple-api/json-page.js';

const who = { name: 'evil', version: '1.0', requiredBy: 'your requirements' };

describe('projectStatusFromJson', () => {
  it('reads status and reason from a PEP 691 page object', () => {
    expect(projectStatusFromJson({ meta: { 'api-version': '1.4' }, name: 'evil', files: [], 'project-status': { status: 'quarantined', reason: 'malware' } })).toEqual({ status: 'quarantined', reason: 'malware' });
    expect(projectStatusFromJson({ 'project-status': { status: 'archived' } })).toEqual({ status: 'archived', reason: null });
  });
  it('absent or malformed means active (null)', () => {
    for (const page of [{}, { 'project-status': 'quarantined' }, { 'project-status': { reason: 'x' } }, null, []]) expect(projectStatusFromJson(page)).toBeNull();
  });
  it('agrees with the JSON page parser', () => {
    const doc = { meta: { 'api-version': '1.4' }, name: 'x', files: [], 'project-status': { status: 'deprecated', reason: 'use y' } };
    expect(projectStatusFromJson(doc)).toEqual(parseJsonDocument(new TextEncoder().encode(JSON.stringify(doc)), 'https://i/simple/x/').projectStatus);
  });
});

describe('decideProjectStatus', () => {
  it('quarantined: refused with the index reason, and nothing allows it', () => {
    const { refusal, warning } = decideProjectStatus(who, { status: 'quarantined', reason: 'credential stealer' });
    expect(warning).toBeNull();
    expect(refusal).toMatchObject({ project: 'evil', version: '1.0', requiredBy: 'your requirements' });
    expect(refusal!.why).toBe('the index marks evil as quarantined (PEP 792: considered unsafe for use, e.g. malware): credential stealer');
    expect(refusal!.allowWith).toMatch(/^nothing allows a quarantined project/);
  });
  it('archived and deprecated: one warning line each, no refusal', () => {
    expect(decideProjectStatus(who, { status: 'archived', reason: null })).toEqual({ refusal: null, warning: 'evil 1.0: the index marks the project as archived (no further updates expected)' });
    expect(decideProjectStatus(who, { status: 'deprecated', reason: 'use evil2' })).toEqual({ refusal: null, warning: 'evil 1.0: the index marks the project as deprecated: use evil2' });
  });
  it('active, absent: nothing; unknown: a warning, treated as active', () => {
    expect(decideProjectStatus(who, null)).toEqual({ refusal: null, warning: null });
    expect(decideProjectStatus(who, { status: 'active', reason: null })).toEqual({ refusal: null, warning: null });
    expect(decideProjectStatus(who, { status: 'frozen', reason: null }).warning).toMatch(/unknown project status "frozen"; treated as active/);
  });
  it('case and surrounding spaces do not hide a quarantine', () => {
    expect(decideProjectStatus(who, { status: ' Quarantined ', reason: null }).refusal).not.toBeNull();
  });
});
