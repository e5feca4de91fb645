import ExcelJS from 'exceljs';
import type { Locale } from '../../platform/errors/errors.js';
import { exportFileName, timeInShanghai } from '../reports/reports.logic.js';
import type { Stats, StatsRow } from './machinery.schemas.js';

/** The monthly usage as a workbook: one sheet per grouping (machine, owner, village), each with its total. */
export async function exportStats(stats: Stats, locale: Locale): Promise<{ fileName: string; buffer: Buffer }> {
  const en = locale === 'en';
  const now = new Date();
  const title = en ? `Farm machinery usage ${stats.month}` : `农机作业统计 ${stats.month}`;
  const wb = new ExcelJS.Workbook();
  const sheets: [string, string, StatsRow[]][] = [
    [en ? 'By machine' : '按农机', en ? 'Machine' : '农机', stats.byMachine],
    [en ? 'By owner' : '按主体', en ? 'Owner' : '农机主体', stats.byOwner],
    [en ? 'By village' : '按村', en ? 'Village' : '村', stats.byVillage],
  ];
  for (const [sheetName, label, rows] of sheets) {
    const ws = wb.addWorksheet(sheetName);
    ws.addRow([`${title}　${en ? 'Exported' : '导出时间'}：${timeInShanghai(now)}`]);
    ws.addRow([
      label,
      en ? 'Jobs done' : '完成作业（单）',
      en ? 'Area done (mu)' : '作业面积（亩）',
      en ? 'Revenue (yuan)' : '收入（元）',
    ]).font = { bold: true };
    for (const r of rows) ws.addRow([r.name, r.bookings, r.areaDoneMu, r.revenueYuan]);
    ws.addRow([en ? 'Total' : '合计', stats.total.bookings, stats.total.areaDoneMu, stats.total.revenueYuan]).font = {
      bold: true,
    };
    ws.getColumn(1).width = 24;
    for (const c of [2, 3, 4]) ws.getColumn(c).width = 16;
  }
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  return { fileName: exportFileName(title, now), buffer };
}
