#!/usr/bin/env node
// Converts Open Data Toronto's "Members of Toronto City Council - Meeting Attendance" (one row per member and
// session: Committee, MTG #, Session Date, Session Start-End Time, Present Y/N) into the attendance file that
// `evaluate --csv` reads (partnership,organization,person,meeting_id,meeting_start,present).
//
//   node eng/datasets/toronto-council-attendance.mjs meeting-attendance.csv > toronto.csv
//   dotnet run --project src/Functions -- evaluate --csv toronto.csv
//
// Source: https://open.toronto.ca/dataset/members-of-toronto-city-council-meeting-attendance/ (CSV resource of
// package 9426c94d-abdb-45fe-9a81-79be40d204d2), published by the City Clerk's Office under the Open Government
// Licence – Toronto. The data is not kept in this repository: download it and convert it here.
//
// Mapping: each council, committee or board is a partnership; each member is both the organisation (a seat) and its
// representative; a meeting is one (body, MTG #), possibly over several sessions and days: it starts at its earliest
// session and a member counts as present when present at any of its sessions.
import { readFileSync } from 'node:fs';

const [, , input] = process.argv;
if (!input) {
  console.error('usage: node eng/datasets/toronto-council-attendance.mjs <meeting-attendance.csv> > attendance.csv');
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
const [header, ...records] = parseCsv(readFileSync(input, 'utf8').replace(/^\uFEFF/, ''));
const col = name => {
  const i = header.findIndex(h => h.trim().toLowerCase() === name.toLowerCase());
  if (i < 0) { console.error(`${input}: missing column "${name}" (found: ${header.join(', ')})`); process.exit(2); }
  return i;
};
const [committee, mtg, date, time, present, first, last] =
  ['Committee', 'MTG #', 'Session Date', 'Session Start-End Time', 'Present', 'First Name', 'Last Name'].map(col);

// "09:31AM - 09:50AM" or "14:03PM - 15:25PM" (24-hour clock with a suffix): the start's hours and minutes.
function start(row, line) {
  const m = /^(\d{1,2}):(\d{2})\s*([AP]M)?/i.exec(row[time].trim());
  const d = /^\d{4}-\d{2}-\d{2}$/.exec(row[date].trim());
  if (!m || !d) { console.error(`${input}: row ${line}: cannot read the session's date or time ("${row[date]}", "${row[time]}")`); process.exit(2); }
  let hours = Number(m[1]);
  if (m[3] && m[3].toUpperCase() === 'PM' && hours < 12) hours += 12;
  if (m[3] && m[3].toUpperCase() === 'AM' && hours === 12) hours = 0;
  return `${row[date].trim()}T${String(hours).padStart(2, '0')}:${m[2]}:00`;
}

const meetings = new Map(); // body|mtg -> earliest local start
const attendance = new Map(); // body|mtg|member -> present at any session
records.forEach((row, i) => {
  const body = row[committee].trim();
  const meeting = `${body}|${row[mtg].trim()}`;
  const member = `${row[first].trim()} ${row[last].trim()}`;
  const at = start(row, i + 2);
  if (!meetings.has(meeting) || at < meetings.get(meeting)) meetings.set(meeting, at);
  const key = `${meeting}|${member}`;
  attendance.set(key, (attendance.get(key) ?? false) || row[present].trim().toUpperCase() === 'Y');
});

const out = ['partnership,organization,person,meeting_id,meeting_start,present'];
for (const [key, wasPresent] of attendance) {
  const [body, number, member] = key.split('|');
  out.push([body, member, member, number, meetings.get(`${body}|${number}`), wasPresent ? '1' : '0'].map(quote).join(','));
}

process.stdout.write(out.join('\n') + '\n');
console.error(`${records.length} session rows → ${attendance.size} meeting attendances, ${meetings.size} meetings of ${new Set([...meetings.keys()].map(k => k.split('|')[0])).size} bodies`);
