import fs from 'node:fs';
import { expect, it } from 'vitest';
import type { Procedure } from '../procedures/procedure.js';
import { loadLanguage } from '../text/language.load.js';
import { previewCandidate } from './situation-preview.js';

const language = loadLanguage('content');
const procedures = (JSON.parse(fs.readFileSync('content/procedures.json', 'utf8')) as Procedure[]).map((p) => ({ ...p, situations: [], audience: null }));

it('lists the questions a candidate situation would fix, and none it leaves alone', () => {
  const items = [
    { q: 'nhà em có chuyện vui, cô dâu chú rể cần giấy gì', expect: ['1.000894'] },
    { q: 'đăng ký khai sinh', expect: ['1.001193'] },
  ];
  const changes = previewCandidate(procedures, language, items, { procedureCode: '1.000894', text: 'nhà có chuyện vui, cô dâu chú rể' });
  expect(changes).toEqual([{ q: items[0]!.q, expect: ['1.000894'], before: '', after: '1.000894', effect: 'fixed' }]);
  expect(previewCandidate(procedures, language, items, { procedureCode: '1.000894', text: '   ' })).toEqual([]);
});
