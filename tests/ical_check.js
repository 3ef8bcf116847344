// Read calendar files with ical.js (what Thunderbird and many web calendars use) and print,
// for each file, its METHOD and every event's UID, SEQUENCE, start, organizer and attendees
// as JSON. A timed start is given in UTC after ical.js applies the file's own VTIMEZONE;
// an all-day start as its date. Run: NODE_PATH=… node tests/ical_check.js FILE…
"use strict";
const fs = require("fs");
const ICAL = require("ical.js");

const out = [];
for (const file of process.argv.slice(2)) {
  const calendar = new ICAL.Component(ICAL.parse(fs.readFileSync(file, "utf8")));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(zone);
  }
  const events = calendar.getAllSubcomponents("vevent").map((component) => {
    const event = new ICAL.Event(component);
    const start = event.startDate;
    return {
      uid: event.uid,
      sequence: event.sequence,
      start: start.isDate
        ? start.toString()
        : new Date(start.toUnixTime() * 1000).toISOString().replace(".000Z", "Z"),
      summary: event.summary,
      organizer: component.getFirstPropertyValue("organizer"),
      attendees: event.attendees.map((attendee) => attendee.getFirstValue()),
    };
  });
  out.push({ method: calendar.getFirstPropertyValue("method"), events });
}
process.stdout.write(JSON.stringify(out));
