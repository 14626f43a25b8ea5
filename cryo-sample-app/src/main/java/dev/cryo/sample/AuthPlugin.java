package dev.cryo.sample;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import dev.cryo.endpoint.CryoPlugin;
import dev.cryo.endpoint.EndpointException;
import dev.cryo.endpoint.EndpointMapping;
import dev.cryo.endpoint.EndpointResult;

/**
 * Signs a connection in on the endpoint layer, yoctopus style: {@code auth:login} {@code create}
 * with {@code {"user":"alice","password":"…"}} checks the pair against the sample's accepted
 * tokens ({@code sample.tokens} entries {@code name:secret}; the password is the secret) and sets
 * the connection's settings {@code auth.authenticated}, {@code auth.userId} and
 * {@code auth.isAdmin} (true for the user {@value #ADMIN_USER}); {@code auth:login}
 * {@code delete} signs it out again. Other plugins require these settings
 * ({@link AdminPlugin}, {@link ChatPlugin}).
 */
@CryoPlugin(name = "auth", settings = AuthPlugin.AuthSettings.class)
class AuthPlugin {

	static final String ADMIN_USER = "admin";

	static final String LOGIN_FAILED_MESSAGE = "Invalid user or password.";

	private final SampleAuthenticator authenticator;

	AuthPlugin(SampleAuthenticator authenticator) {
		this.authenticator = authenticator;
	}

	@EndpointMapping(endpoint = "login", method = "create")
	EndpointResult<AuthSettings> login(@Valid LoginRequest request) {
		if (!this.authenticator.checkPassword(request.user(), request.password())) {
			throw new EndpointException(LOGIN_FAILED_MESSAGE);
		}
		boolean admin = ADMIN_USER.equals(request.user());
		return EndpointResult.of(new AuthSettings(true, request.user(), admin))
			.withSetting("authenticated", true)
			.withSetting("userId", request.user())
			.withSetting("isAdmin", admin);
	}

	@EndpointMapping(endpoint = "login", method = "delete")
	EndpointResult<AuthSettings> logout() {
		return EndpointResult.of(new AuthSettings(false, null, false))
			.withSetting("authenticated", false)
			.withSetting("userId", null)
			.withSetting("isAdmin", false);
	}

	/**
	 * The request of {@code auth:login}.
	 * @param user the user name
	 * @param password the user's secret
	 */
	record LoginRequest(@NotNull @Size(max = 200) String user, @NotNull @Size(max = 1000) String password) {
	}

	/**
	 * The {@code auth} plugin's settings of a connection.
	 * @param authenticated whether the connection signed in
	 * @param userId who it signed in as
	 * @param isAdmin whether that is the administrator
	 */
	record AuthSettings(boolean authenticated, @Nullable String userId, @JsonProperty("isAdmin") boolean isAdmin) {
	}

}
