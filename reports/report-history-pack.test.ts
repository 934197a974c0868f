import fc from 'fast-check';
import { HistoryPacker, UNPACK_SOURCE, type PackedLine, type PackTables } from './report-history-pack';

// The page's own unpacker (the text shipped in report.html), evaluated here.
const unpackLine = new Function(`${UNPACK_SOURCE}; return unpackLine;`)() as (packed: PackedLine, tables: PackTables) => string;

/** The packed line as it travels: through JSON in the page. */
function roundTrip(packer: HistoryPacker, text: string): string {
  const travelled = JSON.parse(JSON.stringify(packer.packLine(text))) as PackedLine;
  return unpackLine(travelled, JSON.parse(JSON.stringify(packer.tables)) as PackTables);
}

describe('HistoryPacker', () => {
  it('gives back every line exactly, whatever JSON it holds', () => {
    const packer = new HistoryPacker();
    fc.assert(fc.property(fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'), fc.string()), (text) => {
      expect(roundTrip(packer, text)).toBe(text);
    }), { numRuns: 500 });
  });

  it('gives back history lines, a "__proto__" key and key orders JSON.parse changes', () => {
    const packer = new HistoryPacker();
    for (const text of [
      '{"index":559,"timeMs":4788,"process":"p1","type":"info","f":"send","value":{"seq":151,"attempt":1,"partition":0,"error":"TimeoutException: Disconnected from node 1 due to timeout","leader":1}}',
      '{"index":1,"timeMs":2,"process":"p1","type":"fail","f":"send","value":{"seq":2,"tried":[0,0],"error":"x"},"late":true}',
      '{"__proto__":{"polluted":true},"a":1}',
      '{"b":1,"1":2}',
      '{"a":1e21,"b":-0}',
      'not json <b>',
    ]) expect(roundTrip(packer, text)).toBe(text);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('stores each key list and long string once', () => {
    const packer = new HistoryPacker();
    const line = (seq: number) => `{"index":${seq},"timeMs":${seq},"process":"p1","type":"info","f":"send","value":{"seq":${seq},"error":"a long error message from the client"}}`;
    const packed = Array.from({ length: 100 }, (_, i) => JSON.stringify(packer.packLine(line(i))));
    expect(packer.tables.shapes).toHaveLength(2);
    expect(packer.tables.strings).toEqual(['a long error message from the client']);
    expect(packed.join('').length).toBeLessThan(Array.from({ length: 100 }, (_, i) => line(i)).join('').length / 2.5);
  });
});
