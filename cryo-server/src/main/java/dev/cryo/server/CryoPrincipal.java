package dev.cryo.server;

import java.io.Serializable;
import java.security.Principal;

import org.springframework.util.Assert;

/**
 * A principal that is only a name, for authenticators that know no richer type.
 * {@link #ANONYMOUS} is the principal of every session a {@link TokenValidator} lets in: a
 * validator only says that a token is good, not whose it is, so all such sessions share the
 * name {@code anonymous}.
 *
 * @param name the name, as {@link #getName()} returns it
 */
public record CryoPrincipal(String name) implements Principal, Serializable {

	/** The principal of sessions that a {@link TokenValidator} let in. */
	public static final CryoPrincipal ANONYMOUS = new CryoPrincipal("anonymous");

	public CryoPrincipal {
		Assert.notNull(name, "'name' must not be null");
	}

	@Override
	public String getName() {
		return this.name;
	}

}
