package ai.lipsync.worker;

import ai.lipsync.session.Session;
import ai.lipsync.session.SessionCancelledException;
import ai.lipsync.session.SessionStatus;
import ai.lipsync.session.SessionStore;

import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The session store as the pipeline sees it on a worker: an update goes through only while the
 * fence admits the session and the stored record is still processing under this worker's claim
 * (checked inside the store's conditional write). Otherwise it throws {@link LeaseLostException}
 * and the record is left as another worker, or the shutdown release, wrote it. A record cancelled
 * under this worker's claim throws {@link SessionCancelledException} instead: the pipeline's next
 * progress write (once per second of video) is where a worker sees a cancel.
 */
final class FencedSessionStore implements SessionStore {
    private final SessionStore delegate;
    private final SessionLeases leases;
    private final JobFence fence;

    FencedSessionStore(SessionStore delegate, SessionLeases leases, JobFence fence) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.leases = Objects.requireNonNull(leases, "leases");
        this.fence = Objects.requireNonNull(fence, "fence");
    }

    @Override
    public void create(Session session) {
        delegate.create(session);
    }

    @Override
    public Optional<Session> find(String id) {
        return delegate.find(id);
    }

    @Override
    public Session update(String id, UnaryOperator<Session> change) {
        fence.check(id);
        return delegate.update(id, s -> {
            if (s.status() == SessionStatus.CANCELLED && leases.workerId().equals(s.workerId())) {
                // Cancelled through the API while this worker generated it: the generation stops here.
                throw new SessionCancelledException(id);
            }
            if (!leases.holds(s)) {
                throw new LeaseLostException(id);
            }
            return change.apply(s);
        });
    }
}
