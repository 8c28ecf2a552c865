package ai.lipsync.avatar;

/**
 * Where the MuseTalk engine gets its prepared avatars: from the cache under
 * {@code results/webapp/}, preparing (and caching) an avatar the first time it is asked for.
 */
public interface PreparedAvatars {

    /**
     * The prepared avatar {@code id} at {@code fps}.
     *
     * @throws ai.lipsync.session.GenerationException {@code avatar_invalid} (no face, unreadable video)
     *     or {@code avatar_not_found}-like codes with a sentence a user understands
     */
    PreparedAvatar get(String id, int fps);
}
