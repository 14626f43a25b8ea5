package dev.cryo.server;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A view of the sessions that {@linkplain CryoSession#join(String) joined} a group (a room), as
 * {@link CryoServer#group(String)} returns it: what it holds is read from the server's
 * membership index at each call, so a view may be kept and reused while members come and go.
 *
 * <p>Sends go through the server's cluster broadcaster with {@link #selector()}, as
 * {@link CryoServer#multicastUtf8(SessionSelector, String)} does, and return the send futures of
 * the recipients on this node; {@link #sessions()} and {@link #size()} count this node's members.
 * To leave one session out, typically the sender, use {@link #except(CryoSession)}:
 * <pre class="code">
 * server.group("chat").except(event.session()).sendUtf8(event.text());
 * </pre>
 */
public interface CryoGroup {

	/**
	 * Returns the group's name.
	 * @return the name
	 */
	String name();

	/**
	 * Returns the selector this view sends with: {@link SessionSelector#group(String)}, narrowed
	 * by every {@link #except(CryoSession)}.
	 * @return the selector, serializable so that it can reach other nodes
	 */
	SessionSelector selector();

	/**
	 * Returns the open members of this node that the view includes.
	 * @return a snapshot
	 */
	List<CryoSession> sessions();

	/**
	 * Returns the number of {@link #sessions()}.
	 * @return the count
	 */
	int size();

	/**
	 * Sends a UTF-8 message to every member the view includes.
	 * @param text the message
	 * @return each local recipient's send future, completing when its peer ACKs
	 */
	Map<CryoSession, CompletableFuture<Void>> sendUtf8(String text);

	/**
	 * Sends a binary message to every member the view includes. Each session gets its own view
	 * of the payload, so no position is shared.
	 * @param payload the remaining bytes; not consumed
	 * @return each local recipient's send future, completing when its peer ACKs
	 */
	Map<CryoSession, CompletableFuture<Void>> sendBinary(ByteBuffer payload);

	/**
	 * Returns a view of the same group without one session; this view is unchanged. The session
	 * need not be a member.
	 * @param excluded the session left out, typically the sender of the message
	 * @return the narrower view
	 */
	CryoGroup except(CryoSession excluded);

}
