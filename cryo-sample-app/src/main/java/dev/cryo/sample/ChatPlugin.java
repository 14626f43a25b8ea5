package dev.cryo.sample;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import dev.cryo.endpoint.ConnectionSettings;
import dev.cryo.endpoint.CryoPlugin;
import dev.cryo.endpoint.EndpointMapping;
import dev.cryo.endpoint.Multicaster;
import dev.cryo.endpoint.Requires;
import dev.cryo.endpoint.SettingsFilter;

/**
 * Chat on the endpoint layer: {@code chat:message} {@code create} with {@code {"text":"…"}} (from a
 * signed-in connection) notifies every signed-in connection, on either wire, with type
 * {@value #NOTIFICATION_TYPE} and {@code {"from":"<user>","text":"…"}}; the answer says how many
 * connections of this node it reached. Run as a cluster, the other nodes' signed-in connections get
 * it too, and are not in that count.
 */
@CryoPlugin("chat")
class ChatPlugin {

	static final String NOTIFICATION_TYPE = "chat";

	private static final SettingsFilter SIGNED_IN = SettingsFilter.where("auth", "authenticated", true);

	@EndpointMapping(endpoint = "message", method = "create")
	@Requires(settings = "auth.authenticated=true")
	Delivery message(@Valid ChatRequest request, ConnectionSettings settings, Multicaster multicaster) {
		String from = String.valueOf(settings.get("auth", "userId"));
		int reached = multicaster.multicast(SIGNED_IN, NOTIFICATION_TYPE, new ChatMessage(from, request.text()));
		return new Delivery(reached);
	}

	/**
	 * The request of {@code chat:message}.
	 * @param text the message
	 */
	record ChatRequest(@NotBlank @Size(max = 1000) String text) {
	}

	/**
	 * The notification every signed-in connection gets.
	 * @param from who sent it
	 * @param text the message
	 */
	record ChatMessage(String from, String text) {
	}

	/**
	 * The answer to the sender.
	 * @param reached how many connections of this node were notified
	 */
	record Delivery(int reached) {
	}

}
