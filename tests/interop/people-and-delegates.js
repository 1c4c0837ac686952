const ews = require('ews-javascript-api');
const url = process.env.EWS_URL;
function svcFor(u) { const s = new ews.ExchangeService(ews.ExchangeVersion.Exchange2013_SP1); s.Credentials = new ews.WebCredentials(u, 'secret'); s.Url = new ews.Uri(url); return s; }
const svc = svcFor('alice@example.com'), bob = svcFor('bob@example.com');
let fails = 0, passes = 0;
function check(name, ok, extra) { console.log((ok ? 'PASS ' : 'FAIL ') + name + (extra ? ' ' + extra : '')); if (!ok) fails++; else passes++; }
async function step(name, f) { try { await f(); } catch (e) { fails++; console.log('FAIL ' + name + ' threw: ' + (e && (e.message || e.Message || String(e))).toString().slice(0, 300)); } }
(async () => {
  await step('delegates', async () => {
    const du = new ews.DelegateUser('bob@example.com');
    du.Permissions.CalendarFolderPermissionLevel = ews.DelegateFolderPermissionLevel.Reviewer;
    const r = await svc.AddDelegates(new ews.Mailbox('alice@example.com'), ews.MeetingRequestsDeliveryScope.DelegatesAndMe, [du]);
    check('AddDelegates', (r.length||r.Count) === 1 && (r[0]||r.Responses[0]).Result === ews.ServiceResult.Success);
    const g = await svc.GetDelegates(new ews.Mailbox('alice@example.com'), true);
    check('GetDelegates lists bob', g.DelegateUserResponses.length === 1 || g.Count === 1, JSON.stringify(g.MeetingRequestsDeliveryScope));
    const ap = new ews.Appointment(svc); ap.Subject = 'shared'; ap.Start = new ews.DateTime('2026-12-20T10:00:00Z'); ap.End = new ews.DateTime('2026-12-20T11:00:00Z');
    await ap.Save(ews.SendInvitationsMode.SendToNone);
    const fid = new ews.FolderId(ews.WellKnownFolderName.Calendar, new ews.Mailbox('alice@example.com'));
    const cv = await bob.FindAppointments(fid, new ews.CalendarView(new ews.DateTime('2026-12-19T00:00:00Z'), new ews.DateTime('2026-12-21T00:00:00Z')));
    check('delegate reads owner calendar', cv.Items.some(i => i.Subject === 'shared'));
    const x = new ews.Appointment(bob); x.Subject = 'by bob'; x.Start = new ews.DateTime('2026-12-20T12:00:00Z'); x.End = new ews.DateTime('2026-12-20T13:00:00Z');
    const e = await x.Save(fid, ews.SendInvitationsMode.SendToNone).then(() => null, err => err);
    check('reviewer cannot create', e && /denied/i.test(e.message || ''), e && e.message);
    const rm = await svc.RemoveDelegates(new ews.Mailbox('alice@example.com'), [new ews.UserId('bob@example.com')]);
    check('RemoveDelegates', (rm.length||rm.Count) === 1 && (rm[0]||rm.Responses[0]).Result === ews.ServiceResult.Success);
  });
  await step('archive items', async () => {
    const m = new ews.EmailMessage(svc); m.Subject = 'to archive'; await m.Save(ews.WellKnownFolderName.Inbox);
    const r = await svc.ArchiveItems([m.Id], new ews.FolderId(ews.WellKnownFolderName.Inbox));
    check('ArchiveItems', r.Count === 1 && r.Responses[0].Result === ews.ServiceResult.Success);
    const f = await svc.FindItems(ews.WellKnownFolderName.ArchiveInbox, new ews.ItemView(10));
    check('archived item in archive inbox', f.Items.some(i => i.Subject === 'to archive'));
  });
  await step('searchable mailboxes', async () => {
    const r = await svc.GetSearchableMailboxes('', false);
    check('GetSearchableMailboxes', r.searchableMailboxes.length >= 1, 'n=' + r.searchableMailboxes.length);
  });
  await step('streaming', async () => {
    const sub = await svc.SubscribeToStreamingNotifications([new ews.FolderId(ews.WellKnownFolderName.Inbox)], [ews.EventType.Created]);
    check('streaming subscription', !!sub.Id);
  });
  await step('user configuration', async () => {
    const uc = new ews.UserConfiguration(svc);
    uc.Dictionary.Add('k', 'v');
    await uc.Save('MyApp', ews.WellKnownFolderName.Root);
    const back = await ews.UserConfiguration.Bind(svc, 'MyApp', ews.WellKnownFolderName.Root, ews.UserConfigurationProperties.All);
    check('user configuration round trip', back.Name === 'MyApp' && back.Dictionary.Count === 1, back.Name + ' entries=' + back.Dictionary.Count);
  });
  await step('mark as junk, rooms, expand', async () => {
    const m = new ews.EmailMessage(svc); m.Subject = 'spam?'; await m.Save(ews.WellKnownFolderName.Inbox);
    const r = await svc.MarkAsJunk([m.Id], true, true);
    check('MarkAsJunk', r.Count === 1);
  });
  console.log(passes + ' passed, ' + fails + ' failed');
})();
