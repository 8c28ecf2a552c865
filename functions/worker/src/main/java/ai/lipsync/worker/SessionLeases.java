package ai.lipsync.worker;

import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionStatus;
import ai.lipsync.session.SessionStore;
import ai.lipsync.session.StartDeadline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * This worker's claims on sessions, each one conditional write on the session store: claim a new
 * session or take over one whose lease expired, renew the lease while working, release it on
 * shutdown, give a hopeless one up. Every decision is made inside the store's atomic update, so two
 * workers racing for one session cannot both win. The decision is recomputed on every attempt: a
 * store with conditional writes may apply the change more than once, also after an earlier attempt's
 * write landed, so a claim recognises its own write (see {@link #claim}).
 */
public final class SessionLeases {
    private final SessionStore sessions;
    private final String workerId;
    private final Duration lease;
    private final StartDeadline startDeadline;
    private final Clock clock;

    /** What a claim attempt found. */
    public enum Claim {
        /** The session was new: now processing under this worker's lease. */
        CLAIMED,
        /** A previous worker's lease had expired (it died): now processing under this worker's lease. */
        TAKEN_OVER,
        /** Another worker holds a live lease: it is working on the job. */
        LEASED_ELSEWHERE,
        /** Ready, in error or cancelled: nothing left to do. */
        FINISHED,
        /** No such session (expired, or never stored). */
        MISSING,
        /** The last delivery found a dead worker's claim: the session was ended in error instead. */
        GAVE_UP,
        /** Nobody had started it within the start deadline of its creation: ended in {@code expired} instead. */
        EXPIRED
    }

    /** @param startDeadline a new session claimed past it is ended in {@code expired} instead ({@link Claim#EXPIRED}) */
    public SessionLeases(SessionStore sessions, String workerId, Duration lease, StartDeadline startDeadline,
            Clock clock) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.workerId = Objects.requireNonNull(workerId, "workerId");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.startDeadline = Objects.requireNonNull(startDeadline, "startDeadline");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public String workerId() {
        return workerId;
    }

    /**
     * Claims {@code sessionId} for this worker.
     *
     * @param engine the engine the session will report
     * @param giveUpReason when not null and the session still carries a dead worker's claim (processing,
     *     lease expired), the session is ended in {@link ErrorCode#WORKER_LOST} with this reason instead
     *     of being taken over: the job has crashed its workers often enough
     */
    public Claim claim(String sessionId, String engine, String giveUpReason) {
        AtomicReference<Claim> outcome = new AtomicReference<>();
        // What an attempt of this call wrote, and this call's token: the lease expiry it writes, fixed
        // for the whole call. A store may apply the change again after the write landed (the SDK
        // retries a put whose answer was lost, another writer changed the item in between, so the
        // retry fails its condition and the store re-reads): that attempt then finds this very claim,
        // processing under this worker with this expiry, and must not take it for another's.
        AtomicReference<Claim> written = new AtomicReference<>();
        Instant leaseUntil = clock.instant().plus(lease);
        try {
            sessions.update(sessionId, s -> {
                Instant now = clock.instant();
                Claim mine = written.get();
                if (mine != null && isWrittenBy(s, mine, leaseUntil, giveUpReason)) {
                    outcome.set(mine);
                    return s;
                }
                if (s.status().isFinal()) {
                    outcome.set(Claim.FINISHED);
                    return s;
                }
                if (!s.claimableAt(now)) {
                    outcome.set(Claim.LEASED_ELSEWHERE);
                    return s;
                }
                if (startDeadline.missedBy(s, now)) {
                    written.set(Claim.EXPIRED);
                    outcome.set(Claim.EXPIRED);
                    return startDeadline.expire(s, now);
                }
                boolean abandoned = s.status() == SessionStatus.PROCESSING;
                if (abandoned && giveUpReason != null) {
                    written.set(Claim.GAVE_UP);
                    outcome.set(Claim.GAVE_UP);
                    return s.failed(ErrorCode.WORKER_LOST, giveUpReason, now);
                }
                Claim claim = abandoned ? Claim.TAKEN_OVER : Claim.CLAIMED;
                written.set(claim);
                outcome.set(claim);
                return s.claimedBy(engine, workerId, leaseUntil, now);
            });
        } catch (NoSuchElementException e) {
            return Claim.MISSING;
        }
        return outcome.get();
    }

    /** True when {@code s} is what an earlier attempt of the same {@link #claim} call wrote. */
    private boolean isWrittenBy(Session s, Claim written, Instant leaseUntil, String giveUpReason) {
        if (written == Claim.EXPIRED) {
            return s.status() == SessionStatus.ERROR && s.errorCode() == ErrorCode.EXPIRED;
        }
        if (written == Claim.GAVE_UP) {
            return s.status() == SessionStatus.ERROR && s.errorCode() == ErrorCode.WORKER_LOST
                    && giveUpReason.equals(s.errorMessage());
        }
        return holds(s) && leaseUntil.equals(s.leaseExpiresAt());
    }

    /** Extends this worker's lease; false when the session is no longer processing under it. */
    public boolean renew(String sessionId) {
        return changeIfHeld(sessionId, (s, now) -> s.withLease(now.plus(lease), now));
    }

    /** Hands the session back unfinished ({@code created}, no lease); false when it was not held here. */
    public boolean release(String sessionId) {
        return changeIfHeld(sessionId, (s, now) -> s.released(now));
    }

    /**
     * Ends a session nobody is working on in error: it is not final and no live lease holds it.
     *
     * @return true when this call ended it
     */
    public boolean fail(String sessionId, ErrorCode code, String reason) {
        AtomicReference<Boolean> changed = new AtomicReference<>(false);
        try {
            sessions.update(sessionId, s -> {
                Instant now = clock.instant();
                boolean open = !s.status().isFinal() && s.claimableAt(now);
                changed.set(open);
                return open ? s.failed(code, reason, now) : s;
            });
        } catch (NoSuchElementException e) {
            return false;
        }
        return changed.get();
    }

    /** True when the stored session is processing under this worker's claim. */
    public boolean holds(Session s) {
        return s.status() == SessionStatus.PROCESSING && workerId.equals(s.workerId());
    }

    private boolean changeIfHeld(String sessionId, java.util.function.BiFunction<Session, Instant, Session> change) {
        AtomicReference<Boolean> held = new AtomicReference<>(false);
        try {
            sessions.update(sessionId, s -> {
                held.set(holds(s));
                return held.get() ? change.apply(s, clock.instant()) : s;
            });
        } catch (NoSuchElementException e) {
            return false;
        }
        return held.get();
    }
}
