import { namePinyin, type Relation } from '../modules/people/people.logic.js';
import {
  type BulkHouse,
  type BulkHousehold,
  type BulkResident,
  bulkInsertPeople,
} from '../modules/people/people.repo.js';
import { refreshDerivedTags } from '../modules/people/tags.service.js';
import { systemCtx } from '../platform/access/context.js';
import { recordAudit } from '../platform/audit/audit.js';
import type { Db } from '../platform/db/client.js';
import { generateIdNumber, maskIdNumber, maskPhone, type PiiCipher } from '../platform/pii/index.js';

/**
 * Generated residents for the demo region: plausible names, valid ID numbers consistent with age and
 * sex, households in houses, hand-set tags — the same every time for a given seed (except the random
 * nonces inside sealed values), so tests and screenshots can rely on it.
 */

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔';
const MALE = '伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欣志文建国庆东海春成';
const FEMALE =
  '芳娜敏静丽艳娟霞秀英华慧巧美淑惠珠翠雅芝玉萍红娥玲芬燕彩兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽';
const STREETS = ['东关大街', '文昌路', '杏坛路', '西关街', '泗河路', '白石大道', '河口路'];
const ETHNICITIES = ['汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '回族', '满族'];
const OTHER_AREAS = ['370883', '370881', '370826', '370828', '370102', '370811', '371302'];
const REFERENCE_DAY = '2026-01-01';

/** mulberry32: small, fast, deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Place = { nodeId: number; nodePath: string; countyId: number; kind: 'unit' | 'courtyard'; label: string };

export type DemoPeopleResult = { residents: number; households: number; houses: number; ms: number };

const SETTING = 'demo_people';

export async function isDemoPeopleLoaded(db: Db): Promise<boolean> {
  return (await db.query('SELECT 1 FROM system_settings WHERE key = $1', [SETTING])).length > 0;
}

/** `maxPlaces` limits the load to the first units/courtyards (small, fast data for tests). */
export async function loadDemoPeople(
  db: Db,
  pii: PiiCipher,
  opts: { seed?: number; maxPlaces?: number } = {},
): Promise<DemoPeopleResult> {
  const started = Date.now();
  const rand = rng(opts.seed ?? 20261124);
  const pick = <T = string>(xs: readonly T[] | string): T => xs[Math.floor(rand() * xs.length)] as T;
  const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

  const places = await db.query<{
    id: number;
    path: string;
    county_id: number;
    type: string;
    name: string;
    parent_name: string;
  }>(
    `SELECT n.id, n.path, n.county_id, n.type, n.name, p.name AS parent_name
       FROM org_nodes n JOIN org_nodes p ON p.id = n.parent_id
      WHERE n.status = 'active' AND (n.type = 'unit' OR (n.type = 'micro_grid' AND NOT EXISTS (
        SELECT 1 FROM org_nodes c WHERE c.parent_id = n.id)))
      ORDER BY n.id`,
  );
  const targets: Place[] = places.slice(0, opts.maxPlaces ?? places.length).map((p) => ({
    nodeId: p.id,
    nodePath: p.path,
    countyId: p.county_id,
    kind: p.type === 'unit' ? 'unit' : 'courtyard',
    label: `${p.parent_name}${p.name}`,
  }));

  const houses: BulkHouse[] = [];
  const households: BulkHousehold[] = [];
  const residents: BulkResident[] = [];
  const manualTags: { resident: number; code: string; reason: string }[] = [];
  const contacts: { resident: number; name: string; relation: string; phone: string }[] = [];
  const usedIds = new Set<string>();
  let phoneSeq = 0;

  const person = (sex: 'male' | 'female', age: number, local: boolean, surname?: string) => {
    const year = Number(REFERENCE_DAY.slice(0, 4)) - age;
    const birth = `${year}-${String(between(1, 12)).padStart(2, '0')}-${String(between(1, 28)).padStart(2, '0')}`;
    const area = local ? '370899' : pick(OTHER_AREAS);
    let id: string;
    do id = generateIdNumber({ areaCode: area, birthDate: birth, sequence: between(0, 999), sex });
    while (usedIds.has(id));
    usedIds.add(id);
    const given =
      sex === 'male'
        ? pick(MALE) + (rand() < 0.6 ? pick(MALE) : '')
        : pick(FEMALE) + (rand() < 0.6 ? pick(FEMALE) : '');
    return { id, birth, name: (surname ?? pick(SURNAMES)) + given };
  };

  for (const place of targets) {
    const rooms: { roomNo: string; floor: number | null }[] = [];
    if (place.kind === 'unit') {
      for (let floor = 1; floor <= 6; floor++)
        for (let r = 1; r <= 4; r++) rooms.push({ roomNo: `${floor}0${r}`, floor });
    } else {
      for (let c = 1; c <= 40; c++) rooms.push({ roomNo: `${c}号`, floor: null });
    }
    for (const room of rooms) {
      const roll = rand();
      const use =
        room.floor === 1 && roll < 0.08
          ? 'commercial'
          : roll < 0.06
            ? 'vacant'
            : roll < 0.24
              ? 'rented'
              : 'owner_occupied';
      const houseIndex = houses.length;
      houses.push({
        ...place,
        roomNo: room.roomNo,
        floor: room.floor,
        use,
        area: place.kind === 'unit' ? between(55, 140) : between(120, 300),
      });
      if (use === 'vacant' || use === 'commercial') continue;
      const householdIndex = households.length;
      households.push({ ...place, house: houseIndex, householdNo: `${place.nodeId}-${room.roomNo}` });
      const sizeRoll = rand();
      const size =
        sizeRoll < 0.12 ? 1 : sizeRoll < 0.32 ? 2 : sizeRoll < 0.57 ? 3 : sizeRoll < 0.8 ? 4 : sizeRoll < 0.93 ? 5 : 6;
      const local = use !== 'rented' || rand() < 0.3;
      const headAge = size === 1 ? (rand() < 0.65 ? between(60, 92) : between(22, 59)) : between(26, 78);
      const headSex = rand() < 0.7 ? 'male' : 'female';
      const surname = pick(SURNAMES);
      const address = `${pick(STREETS)}${between(1, 300)}号 ${place.label}${room.roomNo}`;
      const members: { sex: 'male' | 'female'; age: number; relation: Relation; surname?: string }[] = [
        { sex: headSex, age: headAge, relation: 'head', surname },
      ];
      if (size >= 2)
        members.push({
          sex: headSex === 'male' ? 'female' : 'male',
          age: Math.max(20, headAge + between(-4, 4)),
          relation: 'spouse',
        });
      for (let i = 2; i < size; i++) {
        const childAge = headAge - between(22, 34);
        if (childAge >= 0 && i < 5)
          members.push({ sex: rand() < 0.5 ? 'male' : 'female', age: childAge, relation: 'child', surname });
        else if (headAge < 55)
          members.push({
            sex: rand() < 0.5 ? 'male' : 'female',
            age: headAge + between(24, 30),
            relation: 'parent',
            surname: i === 2 ? surname : undefined,
          });
        else
          members.push({
            sex: rand() < 0.5 ? 'male' : 'female',
            age: Math.max(0, headAge - between(48, 60)),
            relation: 'grandchild',
            surname,
          });
      }
      for (const m of members) {
        const p = person(m.sex, m.age, local, m.surname);
        const phone =
          m.age >= 16 ? `13${between(5, 9)}${String(5370000 + (phoneSeq++ % 99999)).padStart(8, '0')}` : null;
        const index = residents.length;
        const py = namePinyin(p.name);
        residents.push({
          ...place,
          house: houseIndex,
          household: householdIndex,
          relation: m.relation,
          name: p.name,
          namePinyin: py.full,
          nameInitials: py.initials,
          idSealed: pii.seal(p.id),
          idHash: pii.hash(p.id, 'id'),
          idMasked: maskIdNumber(p.id),
          sex: m.sex,
          birthDate: p.birth,
          ethnicity: pick(ETHNICITIES),
          phoneSealed: phone ? pii.seal(phone) : null,
          phoneHash: phone ? pii.hash(phone, 'phone') : null,
          phoneMasked: phone ? maskPhone(phone) : null,
          hukouAddress: local ? `山东省泗源县${address.split(' ')[0]}` : '山东省济宁市',
          currentAddress: address,
        });
        if (m.relation === 'head') households[householdIndex]!.head = index;
        const r = rand();
        if (r < 0.015) manualTags.push({ resident: index, code: 'disabled', reason: '残联登记' });
        else if (r < 0.035) manualTags.push({ resident: index, code: 'low_income', reason: '民政低保名单' });
        else if (r < 0.04) manualTags.push({ resident: index, code: 'entitled_group', reason: '退役军人事务局名单' });
        if (m.age >= 18 && rand() < 0.07)
          manualTags.push({ resident: index, code: 'party_member', reason: '党组织关系在本社区' });
        if (m.age < 16 && place.kind === 'courtyard' && rand() < 0.15)
          manualTags.push({ resident: index, code: 'left_behind_child', reason: '父母外出务工' });
        if (size === 2 && m.age >= 60 && headAge >= 60 && rand() < 0.6)
          manualTags.push({ resident: index, code: 'empty_nest', reason: '子女不在本地' });
        if (size === 1 && m.age >= 60)
          contacts.push({
            resident: index,
            name: `${pick(SURNAMES)}${pick(MALE)}`,
            relation: '子女',
            phone: `139${String(5370000 + (phoneSeq++ % 99999)).padStart(8, '0')}`,
          });
      }
    }
  }

  const counts = await db.transaction(async (tx) => {
    const sealedContacts = contacts.map((c) => ({
      resident: c.resident,
      name: c.name,
      relation: c.relation,
      sealed: pii.seal(c.phone),
      hash: pii.hash(c.phone, 'phone'),
      masked: maskPhone(c.phone),
    }));
    const result = await bulkInsertPeople(tx, {
      houses,
      households,
      residents,
      tags: manualTags,
      contacts: sealedContacts,
    });
    await refreshDerivedTags(tx);
    await tx.query('INSERT INTO system_settings (key, value) VALUES ($1, $2)', [SETTING, JSON.stringify(result)]);
    await recordAudit(tx, systemCtx('demo'), {
      action: 'people.demo_load',
      targetType: 'people',
      targetId: null,
      scopePath: null,
      countyId: null,
      diff: { residents: [0, result.residents], households: [0, result.households], houses: [0, result.houses] },
    });
    return result;
  });
  return { ...counts, ms: Date.now() - started };
}
