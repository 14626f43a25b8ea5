package dev.cryo.sample;

import java.security.Principal;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.server.event.CryoUtf8MessageEvent;

/**
 * The demo page's chat: the UTF-8 message {@code chat <message>} is broadcast to every session
 * (the sender included) as {@code chat-from <short id> <user> <message>}, the short id being the
 * last {@value #SHORT_ID_LENGTH} characters of the sender's session id and the user its
 * principal's name (spaces replaced by {@code _}, so that the line splits at spaces). A message longer than
 * {@value #MAX_MESSAGE_LENGTH} characters is answered with an ERROR frame and not broadcast.
 * {@code whoami} is answered with {@code you-are <user>}, so that the page can show who it is
 * signed in as. {@link EchoListener} echoes every command to its sender as it echoes everything.
 */
@Component
class ChatListener {

	static final String COMMAND = "chat ";

	static final String BROADCAST = "chat-from ";

	/** Asks who the session is; answered with {@value #YOU_ARE} and the user, to the asker only. */
	static final String WHOAMI = "whoami";

	static final String YOU_ARE = "you-are ";

	static final int MAX_MESSAGE_LENGTH = 500;

	static final int SHORT_ID_LENGTH = 6;

	static final int MAX_USER_LENGTH = 64;

	private final CryoServer server;

	ChatListener(CryoServer server) {
		this.server = server;
	}

	@EventListener
	void onText(CryoUtf8MessageEvent event) {
		String text = event.text();
		CryoSession session = event.session();
		if (text.equals(WHOAMI)) {
			session.sendUtf8(YOU_ARE + user(session));
			return;
		}
		if (!text.startsWith(COMMAND)) {
			return;
		}
		String message = text.substring(COMMAND.length());
		if (message.isBlank()) {
			return;
		}
		// Counted in code points, as a person counts characters (an emoji is one).
		if (message.codePointCount(0, message.length()) > MAX_MESSAGE_LENGTH) {
			session.sendError("chat: a message is at most " + MAX_MESSAGE_LENGTH + " characters");
			return;
		}
		this.server.broadcastUtf8(BROADCAST + shortId(session) + " " + user(session) + " " + message);
	}

	/** Who the session is, as one word. */
	static String user(CryoSession session) {
		Principal principal = session.principal();
		String name = (principal != null) ? principal.getName() : "";
		String word = name.isBlank() ? "unknown" : name.strip().replaceAll("\\s+", "_");
		// A principal's name may be long (a token's subject); a chat line shows a label.
		return (word.length() > MAX_USER_LENGTH) ? word.substring(0, MAX_USER_LENGTH) : word;
	}

	/** The tail of the session id: enough to tell the people in a demo apart. */
	static String shortId(CryoSession session) {
		String id = session.idString();
		return id.substring(Math.max(0, id.length() - SHORT_ID_LENGTH));
	}

}
