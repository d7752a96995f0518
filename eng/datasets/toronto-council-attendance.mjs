#!/usr/bin/env node
// Converts Open Data Toronto's "Members of Toronto City Council - Meeting Attendance" (one row per member and
// session: Committee, MTG #, Session Date, Session Start-End Time, Present Y/N) into the attendance file that
// `evaluate --csv` reads (partnership,organization,person,meeting_id,meeting_start,present).
//
//   node eng/datasets/toronto-council-attendance.mjs meeting-attendance-2018-2022.csv meeting-attendance-2022-2026.csv > toronto.csv
//   dotnet run --project src/Functions -- evaluate --csv toronto.csv
//
// Source: https://open.toronto.ca/dataset/members-of-toronto-city-council-meeting-attendance/ (CSV resource of
// package 9426c94d-abdb-45fe-9a81-79be40d204d2), published by the City Clerk's Office under the Open Government
// Licence – Toronto. The data is not kept in this repository: download it and convert it here.
//
// Mapping: each council, committee or board is a partnership; each member is both the organisation (a seat) and its
// representative; a meeting is one (body, term, MTG #), possibly over several sessions and days: it starts at its
// earliest session and a member counts as present when present at any of its sessions. With --sessions, each session
// is a meeting of its own (present at that session). Several files (one per council term) may be given at once.
import { readFileSync } from 'node:fs';

const sessions = process.argv.includes('--sessions');
const inputs = process.argv.slice(2).filter(a => a !== '--sessions');
if (inputs.length === 0) {
  console.error('usage: node eng/datasets/toronto-council-attendance.mjs [--sessions] <meeting-attendance.csv>... > attendance.csv');
  process.exit(2);
}

function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); field = '';
      if (row.some(v => v.trim() !== '')) rows.push(row);
      row = [];
    } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); if (row.some(v => v.trim() !== '')) rows.push(row); }
  return rows;
}

const quote = v => /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;

// The resources of each council term spell the columns differently ("MTG #" or "MTGNum", "Session Date" or
// "SessionDate"…): each column is found under any of its spellings.
const columns = {
  term: ['Term'],
  committee: ['Committee'],
  mtg: ['MTG #', 'MTGNum', 'MTG Num'],
  date: ['Session Date', 'SessionDate'],
  time: ['Session Start-End Time', 'SessionStart_EndTime', 'Session Start End Time'],
  present: ['Present'],
  session: ['Session Type', 'SessionType'],
  first: ['First Name', 'FirstName'],
  last: ['Last Name', 'LastName'],
};

// "09:31AM - 09:50AM" or "14:03PM - 15:25PM" (24-hour clock with a suffix): the start's hours and minutes.
function start(input, value, dateValue, line) {
  const m = /^(\d{1,2}):(\d{2})\s*([AP]M)?/i.exec(value.trim());
  const d = /^\d{4}-\d{2}-\d{2}/.exec(dateValue.trim());
  if (!m || !d) { console.error(`${input}: row ${line}: cannot read the session's date or time ("${dateValue}", "${value}")`); process.exit(2); }
  let hours = Number(m[1]);
  if (m[3] && m[3].toUpperCase() === 'PM' && hours < 12) hours += 12;
  if (m[3] && m[3].toUpperCase() === 'AM' && hours === 12) hours = 0;
  return `${d[0]}T${String(hours).padStart(2, '0')}:${m[2]}:00`;
}

const meetings = new Map(); // body|term mtg -> earliest local start
const attendance = new Map(); // body|term mtg|member -> present at any session
let sessionRows = 0;
for (const input of inputs) {
  const [header, ...records] = parseCsv(readFileSync(input, 'utf8').replace(/^\uFEFF/, ''));
  const col = {};
  for (const [key, names] of Object.entries(columns)) {
    const i = header.findIndex(h => names.some(n => h.trim().toLowerCase() === n.toLowerCase()));
    if (i < 0 && key !== 'term' && key !== 'session') { console.error(`${input}: missing column "${names[0]}" (found: ${header.join(', ')})`); process.exit(2); }
    col[key] = i;
  }

  records.forEach((row, i) => {
    const body = row[col.committee].trim();
    // Meeting numbers start again with each term: a meeting is (body, term, number).
    let number = col.term >= 0 && row[col.term].trim() ? `${row[col.term].trim()} #${row[col.mtg].trim()}` : row[col.mtg].trim();
    // --sessions: each session (a day's morning, afternoon or evening) is a meeting of its own.
    if (sessions) number += ` ${/^\d{4}-\d{2}-\d{2}/.exec(row[col.date].trim())?.[0] ?? row[col.date].trim()} ${col.session >= 0 ? row[col.session].trim() : row[col.time].trim()}`;
    const meeting = `${body}|${number}`;
    const member = `${row[col.first].trim()} ${row[col.last].trim()}`;
    const at = start(input, row[col.time], row[col.date], i + 2);
    if (!meetings.has(meeting) || at < meetings.get(meeting)) meetings.set(meeting, at);
    const key = `${meeting}|${member}`;
    attendance.set(key, (attendance.get(key) ?? false) || row[col.present].trim().toUpperCase() === 'Y');
  });
  sessionRows += records.length;
}

const out = ['partnership,organization,person,meeting_id,meeting_start,present'];
for (const [key, wasPresent] of attendance) {
  const [body, number, member] = key.split('|');
  out.push([body, member, member, number, meetings.get(`${body}|${number}`), wasPresent ? '1' : '0'].map(quote).join(','));
}

process.stdout.write(out.join('\n') + '\n');
console.error(`${sessionRows} session rows → ${attendance.size} meeting attendances, ${meetings.size} meetings of ${new Set([...meetings.keys()].map(k => k.split('|')[0])).size} bodies`);
