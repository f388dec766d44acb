// The reader against the reference: for messy generated logs (BOM, per-user sessions, strays, mixed time units,
// duplicates, rejected rows, signals, long ids) and every ingest fixture, the whole read (columns, dictionary
// order, signals, drop report) must digest to what the reference reader gave. The digests were recorded with the
// reader of commit bbb0ac5 (before the ingest speed work); a change that alters any of them changes results.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/ingest/readLog.ts';
import { goldenCases } from './goldenCases.ts';
import { logDigest } from './logDigest.ts';

const DIGESTS: Record<string, string> = {
  'bom-per-user-sessions.csv': '679bdaa38071ce973fb91c707bb51e5d1ac234c519db2e23e8f01ac1b79cda49',
  'mixed-units-strays.csv': '03a0e6340eca7b454a8f5f4bda32b9d259d575d3e6fba446aaf6819b8d3a9988',
  'seconds-signals.csv': '5430e1eeea6157fd4749342e1626d93232e0155b38569e31880beca6c832bed2',
  'iso-long-ids.csv': '861bcdbe37d2c4fb152a51369f322653191baa5373fbd3b3d1b8c1b4557b4abe',
  'canonical.csv': '0315cfc73009b29ac0423692d6e0864e8fa1e8884553bfe2062a89466058e19a',
  'canonical.csv.gz': '738379d2c0e64a0e568c351082455f70bc71fd6b809dec94f7d634863ccffaa8',
  'canonical.jsonl': '73f379b0604359236ba57021df05ad4c6068731b2fbcab145822d39305a2a705',
  'canonical.jsonl.gz': '12609ef1a6929df27a2a23d4440dd5e0d48f17fc9cc33eb33d309397eb38fb0b',
  'canonical.parquet': 'bb76a35dff021ae6756506d5c405759fb3e91db76017f69e21a239bd1ad59cc0',
  'canonical.arrow': 'e69685ca76fad942941751c6a7f31373546e48fee20f505c2ceed2535d83ca76',
  'bad.csv': '22ad09fca370f372057514955d63ce268b4605812f44cf70da60365dd5188d4e',
  'mapped.csv': '083e6e4a19e8ca1d38c79d538922ae591e9768c075e64f5e4f1e39abc942c34a',
  'key-only.csv': '48da47db49ec5b1b793d0ad67d87f0f2c869634e2e3edef7dbd48392f885c9d0',
  'semicolon.csv': '6306993915abf94cbed11a6ae22afdcf69784ca21aa0596b0d99f21a68414856',
  'signals.csv': '89584af81e22b84ad2bcf9abcdff365a87ebdd42d8b5d98577ef7738db83b372',
  'times-iso.csv': '28c8d1e77a15d18895563c0024290d178ea8de23e98f7572cbe0060c7f1653cb',
  'times-ms.csv': '7dbb5a16c2e3eb031d1407186d7ccbc951e0f60630e5c886b5294e8cbd59aa7a',
  'times-s.csv': '57417bd3546485a769da355a71312f551e7d440aa6212e63e1a36f9b488d3a3b',
  'movielens/u.data': 'd3f72b2a75a4817ae443235b98d3eebde70322a6d77349292aecbc8942164b14',
  'movielens/ratings.dat': 'e80e2ddde5fa7b109cfcb19ce76d33e49a8271a857a31c5e8db1495dc7e364a4',
  'movielens/ratings.csv': '4f00b9f8c5f04a7cc3bb1e386a268165b4e11d1b1c1f2c7905c66090a43c3072',
  'retailrocket/events.csv': 'ddb49987853b235ec9a296536b6e3b669aaa85f100546f191f934e3348a570f1',
  'diginetica/train-item-views.csv': '479f665477f61a7171d02af8de0a1b08152a100376331f5ee79f1fb245a357ea',
  'diginetica/train-purchases.csv': 'dd90083958952bd65c3a1620f7f8e12a10baf0251bf2bfa24a622006051fe1e5',
  'online-retail/online_retail.csv': '07682c32d05e7f05a7a3ba2387a4eb6db1c127444e21134d3f040a0244aacda6',
  'online-retail/online_retail.csv.gz': '6fd5e20ccda9f692aa5eac725b23536d4eab151ae9d6c4105d609dd5cacc92df',
  'otto/train.jsonl': 'c7c8241160c75c2a0d27ef12f6c460879e467c5d3d1116cf0e836e4595d6c3ca',
  'taobao/UserBehavior.csv': '40d21733d0c2476346a5aa31934686e27f80d9e1406383d8d27d59aa3401c3dc',
  'taobao/UserBehavior.csv mapped': 'bfaca61fbc5fbfa45d20658100d74992c083ff8e12c500c9756c1c569ddb211c',
};

describe('reader golden digests', () => {
  const cases = goldenCases(mkdtempSync(join(tmpdir(), 'recgap-golden-')));
  it.each(Object.keys(cases))('%s reads to the reference digest', async (name) => {
    expect(logDigest(await readLog(cases[name]))).toBe(DIGESTS[name]);
  });
});
