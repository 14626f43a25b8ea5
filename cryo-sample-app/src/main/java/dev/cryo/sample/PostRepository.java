package dev.cryo.sample;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * The {@link Post posts}.
 */
public interface PostRepository extends JpaRepository<Post, Long> {

	/**
	 * Returns the 50 newest posts, newest first (ids grow with time).
	 * @return the posts
	 */
	List<Post> findTop50ByOrderByIdDesc();

}
