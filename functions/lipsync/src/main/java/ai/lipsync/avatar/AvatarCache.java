package ai.lipsync.avatar;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Loaded avatars in memory, at most {@code maximum} of them (their frames are large): the least
 * recently used leaves first. A load runs outside the map's lock, so a slow video decode holds up
 * no other avatar's lookup; one load per key at a time, and whoever asks for that key meanwhile
 * waits for it and gets the same result (or the same failure; a failure is not kept).
 */
public final class AvatarCache<K, V> {
    private final int maximum;
    private final Object lock = new Object();
    /** Access order: the eldest entry is the least recently used. Guarded by {@link #lock}. */
    private final LinkedHashMap<K, V> loaded = new LinkedHashMap<>(16, 0.75f, true);
    /** Loads under way. Guarded by {@link #lock}. */
    private final Map<K, FutureTask<V>> loading = new HashMap<>();

    public AvatarCache(int maximum) {
        if (maximum < 1) {
            throw new IllegalArgumentException("an avatar cache holds at least one avatar, got " + maximum);
        }
        this.maximum = maximum;
    }

    public int maximum() {
        return maximum;
    }

    /**
     * The cached value of {@code key}, or the one {@code loader} gives (then kept); a caller that
     * finds a load of {@code key} under way waits for it.
     *
     * @throws CancellationException when the calling thread is interrupted while waiting (its
     *     interrupt flag stays set)
     */
    public V get(K key, Function<? super K, ? extends V> loader) {
        FutureTask<V> task;
        boolean mine = false;
        synchronized (lock) {
            V value = loaded.get(key);
            if (value != null) {
                return value;
            }
            task = loading.get(key);
            if (task == null) {
                task = new FutureTask<>(() -> loader.apply(key));
                loading.put(key, task);
                mine = true;
            }
        }
        if (mine) {
            run(key, task);
        }
        return await(key, task);
    }

    /** The cached value of {@code key}, counted as a use; empty when it is not in memory. */
    public Optional<V> getIfPresent(K key) {
        synchronized (lock) {
            return Optional.ofNullable(loaded.get(key));
        }
    }

    /** Drops the cached values whose keys match (loads under way are not affected). */
    public void removeIf(Predicate<? super K> keys) {
        synchronized (lock) {
            loaded.keySet().removeIf(keys);
        }
    }

    /** How many values are in memory. */
    public int size() {
        synchronized (lock) {
            return loaded.size();
        }
    }

    /** Runs the load on the calling thread, then keeps its value (evicting past the maximum). */
    private void run(K key, FutureTask<V> task) {
        task.run();
        synchronized (lock) {
            loading.remove(key);
            V value = valueOf(task);
            if (value != null) {
                loaded.put(key, value);
                var eldest = loaded.entrySet().iterator();
                while (loaded.size() > maximum) {
                    eldest.next();
                    eldest.remove();
                }
            }
        }
    }

    private V valueOf(FutureTask<V> task) {
        try {
            return task.isDone() && !task.isCancelled() ? task.get() : null;
        } catch (ExecutionException | InterruptedException | CancellationException e) {
            return null;
        }
    }

    private V await(K key, FutureTask<V> task) {
        try {
            return task.get();
        } catch (ExecutionException e) {
            // The loader's own exception, as if this caller had run it.
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("loading " + key + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            CancellationException cancelled = new CancellationException("interrupted while " + key + " loads");
            cancelled.initCause(e);
            throw cancelled;
        }
    }
}
