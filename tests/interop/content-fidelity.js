const ews = require('ews-javascript-api');
const crypto = require('crypto');
const url = process.env.EWS_URL;
const svc = new ews.ExchangeService(ews.ExchangeVersion.Exchange2013_SP1);
svc.Credentials = new ews.WebCredentials('alice@example.com', 'secret');
svc.Url = new ews.Uri(url);
let fails = 0;
function check(name, ok, extra) { console.log((ok ? 'PASS ' : 'FAIL ') + name + (extra ? ' ' + extra : '')); if (!ok) fails++; }
async function step(name, f) { try { await f(); } catch (e) { fails++; console.log('FAIL ' + name + ' threw: ' + (e && (e.message || e.Message || JSON.stringify(e).slice(0, 300)))); } }

(async () => {
  await step('attachments', async () => {
    const bytes = crypto.randomBytes(300000);
    const msg = new ews.EmailMessage(svc);
    msg.Subject = 'attachment round trip';
    msg.Body = new ews.MessageBody('see attached');
    msg.Attachments.AddFileAttachment('random.bin', bytes.toString('base64'));
    await msg.Save(ews.WellKnownFolderName.Drafts);
    const ps = new ews.PropertySet(ews.BasePropertySet.FirstClassProperties, [ews.ItemSchema.Attachments, ews.ItemSchema.HasAttachments]);
    const back = await ews.EmailMessage.Bind(svc, msg.Id, ps);
    check('HasAttachments', back.HasAttachments === true);
    check('one attachment', back.Attachments.Count === 1, 'count=' + back.Attachments.Count);
    const a = back.Attachments._getItem(0);
    await a.Load();
    const got = Buffer.from(a.Base64Content, 'base64');
    check('attachment bytes equal', Buffer.compare(got, bytes) === 0, 'len=' + got.length);
    check('attachment name', a.Name === 'random.bin', a.Name);
  });
  await step('mime', async () => {
    const eml = 'From: Carol <carol@example.org>\r\nTo: alice@example.com\r\nSubject: =?UTF-8?B?w4lsw6hyZQ==?=\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\nMessage-ID: <x1@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nbody line\r\n';
    const msg = new ews.EmailMessage(svc);
    msg.MimeContent = new ews.MimeContent('UTF-8', Buffer.from(eml).toString('base64'));
    await msg.Save(ews.WellKnownFolderName.Inbox);
    const ps = new ews.PropertySet(ews.BasePropertySet.FirstClassProperties, [ews.ItemSchema.MimeContent]);
    const back = await ews.EmailMessage.Bind(svc, msg.Id, ps);
    const got = Buffer.from(back.MimeContent.Content, 'base64').toString();
    check('mime byte-exact', got === eml, JSON.stringify(got.slice(0, 80)));
    check('mime subject decoded', back.Subject === '\u00c9l\u00e8re', back.Subject);
  });
  await step('recurrence', async () => {
    const ap = new ews.Appointment(svc);
    ap.Subject = 'weekly sync';
    ap.Start = new ews.DateTime('2026-03-02T17:00:00Z');
    ap.End = new ews.DateTime('2026-03-02T17:30:00Z');
    ap.StartTimeZone = ews.TimeZoneInfo.FindSystemTimeZoneById ? undefined : undefined;
    const r = new ews.Recurrence.WeeklyPattern(ap.Start.Date, 1, [ews.DayOfTheWeek.Monday]);
    r.NumberOfOccurrences = 5;
    ap.Recurrence = r;
    await ap.Save(ews.SendInvitationsMode.SendToNone);
    const occ = await ews.Appointment.BindToOccurrence(svc, ap.Id, 2);
    occ.Subject = 'weekly sync (moved)';
    occ.Location = 'Room 2';
    await occ.Update(ews.ConflictResolutionMode.AlwaysOverwrite, ews.SendInvitationsOrCancellationsMode.SendToNone);
    const occ4 = await ews.Appointment.BindToOccurrence(svc, ap.Id, 4);
    await occ4.Delete(ews.DeleteMode.HardDelete, ews.SendCancellationsMode.SendToNone);
    const view = new ews.CalendarView(new ews.DateTime('2026-02-25T00:00:00Z'), new ews.DateTime('2026-04-30T00:00:00Z'));
    const res = await svc.FindAppointments(ews.WellKnownFolderName.Calendar, view);
    const items = res.Items.filter(i => i.Subject && i.Subject.startsWith('weekly sync'));
    check('calendar view has 4 occurrences', items.length === 4, 'n=' + items.length + ' ' + items.map(i => i.Start.ToISOString ? i.Start.ToISOString() : String(i.Start)).join(','));
    check('exception in the view', items.some(i => i.Subject === 'weekly sync (moved)' && i.AppointmentType === ews.AppointmentType.Exception), items.map(i => i.Subject + '/' + i.AppointmentType).join(','));
    const master = await ews.Appointment.Bind(svc, ap.Id, new ews.PropertySet(ews.BasePropertySet.FirstClassProperties));
    check('modified occurrences listed', master.ModifiedOccurrences && master.ModifiedOccurrences.Count === 1);
    check('deleted occurrences listed', master.DeletedOccurrences && master.DeletedOccurrences.Count === 1);
  });
  await step('archive', async () => {
    const root = await ews.Folder.Bind(svc, ews.WellKnownFolderName.ArchiveMsgFolderRoot);
    check('archive root bound', !!root.Id, root.DisplayName);
    const ff = await svc.FindFolders(ews.WellKnownFolderName.ArchiveMsgFolderRoot, new ews.FolderView(100));
    check('archive folders listed', ff.Folders.length > 0, ff.Folders.map(f => f.DisplayName).join(','));
    const inbox = await ews.Folder.Bind(svc, ews.WellKnownFolderName.ArchiveInbox);
    const m = new ews.EmailMessage(svc); m.Subject = 'archived'; await m.Save(inbox.Id);
    const sync = await svc.SyncFolderItems(inbox.Id, ews.PropertySet.IdOnly, null, 100, ews.SyncFolderItemsScope.NormalItems, null);
    check('archive inbox synced', sync.Count >= 1, 'changes=' + sync.Count);
  });
  console.log(fails ? fails + ' failed' : 'all passed');
})();
