/** One line in the footer: whether the session is saved in this browser, or why not. */
import { shortTime } from '../../state/session/sessionRecord';
import { useSession } from '../../state/session/session';
import './session.css';

export function SessionStatus() {
  const savedAt = useSession((s) => s.savedAt);
  const dirty = useSession((s) => s.dirty);
  const note = useSession((s) => s.note);
  const offer = useSession((s) => s.offer);
  // the start screen shows the offer and its note itself
  const text = dirty
    ? 'Saving your session in this browser…'
    : savedAt
      ? `Your session is saved in this browser (${shortTime(savedAt)}): a reload offers it back.`
      : '';
  if (!text && (!note || offer)) return null;
  return (
    <p className="session-status" data-testid="session-status" data-saved={!dirty && savedAt ? 'yes' : 'no'}>
      {text}
      {note && savedAt ? ` ${note}` : ''}
    </p>
  );
}
