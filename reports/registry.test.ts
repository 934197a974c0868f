import { HarnessError } from '../harness/errors';
import { createReporters, parseReporterNames, REPORTERS } from './registry';

describe('reporter registry', () => {
  it('creates each reporter by name', () => {
    expect(createReporters(['console', 'json', 'junit', 'html']).map((r) => r.name)).toEqual(['console', 'json', 'junit', 'html']);
    expect(Object.keys(REPORTERS).sort()).toEqual(['console', 'html', 'json', 'junit']);
  });
  it('parses a list and rejects unknown names, naming the valid ones', () => {
    expect(parseReporterNames(' json, html ,json')).toEqual(['json', 'html']);
    expect(() => parseReporterNames('json,xml')).toThrow(HarnessError);
    expect(() => parseReporterNames('xml')).toThrow(/"xml"[\s\S]*console, json, junit, html/);
  });
});
