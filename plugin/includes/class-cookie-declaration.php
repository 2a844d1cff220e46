<?php
/**
 * The cookie declaration: a shortcode and a block that print the reviewed
 * cookie inventory, and the cached copy they print from.
 *
 * @package Consentry
 */

namespace Consentry;

use WP_Error;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * `[consentry_cookie_policy]` and the `consentry/cookie-policy` block print the
 * site's reviewed inventory (review state `done` and a category: never an
 * unclassified or unreviewed item) per category, with name, provider, purpose
 * and retention, in the page's language. The output depends on the page only,
 * never on the visitor, so full-page caches keep working.
 *
 * The inventory is kept in an option that is not autoloaded (only pages with
 * a declaration read it): refreshed after every change the admin makes through
 * the plugin, and at most MAX_AGE old otherwise (a stale copy is printed and
 * the next one fetched after the page is out).
 *
 * Each refresh also compares the reviewed items with the ones of the last
 * refresh: when new ones appear and the `bump_policy_on_new_items` setting is
 * on, the site's policy version is bumped, so the banner asks every visitor again.
 */
final class Cookie_Declaration {

	public const SHORTCODE = 'consentry_cookie_policy';

	/**
	 * `{ categories, known, expires, fetched, bumped }`; see refresh().
	 */
	public const OPTION = 'consentry_cookie_declaration';

	public const MAX_AGE     = HOUR_IN_SECONDS;
	public const RETRY_AFTER = 5 * MINUTE_IN_SECONDS;

	/**
	 * Inventory entries asked for per page.
	 */
	private const PAGE_SIZE = 100;

	/**
	 * Pages read at most (the service caps an inventory well below this).
	 */
	private const MAX_PAGES = 50;

	/**
	 * The shortcode: `[consentry_cookie_policy heading="3"]` (heading level of the category titles, 2 to 6).
	 *
	 * @param array<string, string>|string $atts Attributes.
	 */
	public static function render_shortcode( $atts ): string {
		$atts = shortcode_atts( array( 'heading' => '3' ), is_array( $atts ) ? $atts : array(), self::SHORTCODE );
		return self::render( 'class="consentry-cookie-policy"', (int) $atts['heading'] );
	}

	/**
	 * The block (rendered on the server only).
	 *
	 * @param array<string, mixed> $attributes Block attributes.
	 */
	public static function render_block( array $attributes ): string {
		return self::render( get_block_wrapper_attributes( array( 'class' => 'consentry-cookie-policy' ) ), (int) ( $attributes['headingLevel'] ?? 3 ) );
	}

	/**
	 * The declaration markup.
	 *
	 * @param string $attributes Escaped attributes of the wrapper.
	 * @param int    $level      Heading level of the category titles.
	 */
	private static function render( string $attributes, int $level ): string {
		$level      = max( 2, min( 6, $level ) );
		$language   = self::language();
		$categories = self::categories();
		$html       = '<div ' . $attributes . '>';
		if ( ! $categories ) {
			return $html . '<p>' . esc_html__( 'No cookies or similar technologies have been published yet.', 'consentry' ) . '</p></div>';
		}
		$columns = array(
			'name'      => __( 'Name', 'consentry' ),
			'provider'  => __( 'Provider', 'consentry' ),
			'purpose'   => __( 'Purpose', 'consentry' ),
			'retention' => __( 'Retention', 'consentry' ),
		);
		foreach ( $categories as $category ) {
			$name        = self::translated( $category, 'name', $language );
			$description = self::translated( $category, 'description', $language );
			$html       .= '<section class="consentry-cookie-policy__category" data-category="' . esc_attr( (string) $category['key'] ) . '">'
				. sprintf( '<h%1$d>%2$s</h%1$d>', $level, esc_html( $name ) );
			if ( '' !== $description ) {
				$html .= '<p>' . esc_html( $description ) . '</p>';
			}
			$html .= '<table class="consentry-cookie-policy__table"><caption class="screen-reader-text">'
				/* translators: %s: consent category name, e.g. Analytics. */
				. esc_html( sprintf( __( 'Cookies and similar technologies: %s', 'consentry' ), $name ) )
				. '</caption><thead><tr>';
			foreach ( $columns as $label ) {
				$html .= '<th scope="col">' . esc_html( $label ) . '</th>';
			}
			$html .= '</tr></thead><tbody>';
			foreach ( $category['items'] as $item ) {
				$html .= '<tr><th scope="row"><code>' . esc_html( $item['name'] ) . '</code>' . self::kind_note( $item['kind'] ) . '</th>'
					. '<td>' . esc_html( self::translated( $item, 'provider', $language ) ) . '</td>'
					. '<td>' . esc_html( self::translated( $item, 'purpose', $language ) ) . '</td>'
					. '<td>' . esc_html( self::translated( $item, 'retention', $language ) ) . '</td></tr>';
			}
			$html .= '</tbody></table></section>';
		}
		return $html . '</div>';
	}

	/**
	 * What kind of item a row is, when it is not a cookie.
	 *
	 * @param string $kind One of Schema::STORAGE_KINDS.
	 */
	private static function kind_note( string $kind ): string {
		$notes = array(
			'localStorage'   => __( 'local storage', 'consentry' ),
			'sessionStorage' => __( 'session storage', 'consentry' ),
			'indexedDB'      => __( 'IndexedDB database', 'consentry' ),
		);
		return isset( $notes[ $kind ] ) ? ' <span class="consentry-cookie-policy__kind">(' . esc_html( $notes[ $kind ] ) . ')</span>' : '';
	}

	/**
	 * A stored category's or item's text in a language, else as written (English or the site's default language).
	 *
	 * @param array<string, mixed> $stored   Stored category or item.
	 * @param string               $field    `name`, `description`, `provider`, `purpose` or `retention`.
	 * @param string               $language Primary language tag.
	 */
	private static function translated( array $stored, string $field, string $language ): string {
		return (string) ( $stored['translations'][ $language ][ $field ] ?? $stored[ $field ] ?? '' );
	}

	/**
	 * The page's language as a primary tag (`tr` for tr_TR): the site's locale,
	 * or a multilingual plugin's locale of the page; never the visitor's.
	 */
	private static function language(): string {
		return strtolower( (string) strtok( get_locale(), '_-' ) );
	}

	/**
	 * The published categories with their items, from the cache.
	 *
	 * @return array<int, array<string, mixed>>
	 */
	private static function categories(): array {
		$stored = get_option( self::OPTION );
		if ( ! is_array( $stored ) ) {
			$stored = self::refresh();
			return is_array( $stored ) ? $stored['categories'] : array();
		}
		if ( (int) ( $stored['expires'] ?? 0 ) <= time() ) {
			// Stale: this page prints the copy it has; the next is fetched once the page
			// is out, and the retry time keeps other pages from fetching it too.
			$stored['expires'] = time() + self::RETRY_AFTER;
			update_option( self::OPTION, $stored, false );
			add_action( 'shutdown', array( self::class, 'refresh' ), 100 );
		}
		return is_array( $stored['categories'] ?? null ) ? $stored['categories'] : array();
	}

	/**
	 * After a scan has ended: fetches the declaration again, once per scan.
	 *
	 * @param string $scan_id The scan that ended.
	 */
	public static function after_scan( string $scan_id ): void {
		$stored = get_option( self::OPTION );
		if ( '' === $scan_id || ( is_array( $stored ) && ( $stored['scan'] ?? '' ) === $scan_id ) ) {
			return;
		}
		$copy = self::refresh();
		if ( is_array( $copy ) ) {
			$copy['scan'] = $scan_id;
			update_option( self::OPTION, $copy, false );
		}
	}

	/**
	 * Makes the next declaration fetch a fresh copy (after a change of the categories).
	 */
	public static function expire(): void {
		$stored = get_option( self::OPTION );
		if ( is_array( $stored ) ) {
			$stored['expires'] = 0;
			update_option( self::OPTION, $stored, false );
		}
	}

	/**
	 * Fetches the inventory and the categories, stores what the declaration
	 * prints, and bumps the policy version when the switch is on and new
	 * reviewed items appeared. On failure keeps the last copy (tried again
	 * after RETRY_AFTER).
	 *
	 * @return array<string, mixed>|null The stored copy, or null when there is none.
	 */
	public static function refresh(): ?array {
		$stored = get_option( self::OPTION );
		$stored = is_array( $stored ) ? $stored : null;
		if ( ! Settings::is_connected() ) {
			return $stored;
		}
		$client  = Service_Client::from_settings();
		$fetched = self::fetch( $client );
		if ( is_wp_error( $fetched ) ) {
			// Without a copy yet, an empty one (and no known items, so the first real
			// copy bumps nothing) keeps pages from asking the service on every view.
			$stored            = $stored ?? array(
				'categories' => array(),
				'known'      => null,
				'fetched'    => null,
				'bumped'     => null,
				'scan'       => '',
			);
			$stored['expires'] = time() + self::RETRY_AFTER;
			update_option( self::OPTION, $stored, false );
			return $stored;
		}
		$known  = $fetched['known'];
		$bumped = $stored['bumped'] ?? null;
		$before = is_array( $stored['known'] ?? null ) ? $stored['known'] : null;
		// Only growth counts (an item taken off the list asks nobody again), and only
		// after a first copy: installing the plugin or turning the switch on bumps nothing.
		if ( null !== $before && Settings::get( 'bump_policy_on_new_items' ) && array_diff( $known, $before ) ) {
			$version = self::bump_policy_version( $client );
			if ( is_string( $version ) ) {
				$bumped = array(
					'version' => $version,
					'at'      => time(),
				);
			}
		}
		$copy = array(
			'categories' => $fetched['categories'],
			'known'      => $known,
			'expires'    => time() + self::MAX_AGE,
			'fetched'    => time(),
			'bumped'     => $bumped,
			'scan'       => $stored['scan'] ?? '',
		);
		update_option( self::OPTION, $copy, false );
		return $copy;
	}

	/**
	 * What the admin app shows of the declaration.
	 *
	 * @return array{published: int, fetchedAt: ?string, lastBump: ?array{version: string, at: string}, bumpPolicyOnNewItems: bool, shortcode: string}
	 */
	public static function status(): array {
		$stored    = get_option( self::OPTION );
		$stored    = is_array( $stored ) ? $stored : array();
		$published = 0;
		foreach ( (array) ( $stored['categories'] ?? array() ) as $category ) {
			$published += count( (array) ( $category['items'] ?? array() ) );
		}
		$bumped = $stored['bumped'] ?? null;
		return array(
			'published'            => $published,
			'fetchedAt'            => isset( $stored['fetched'] ) ? gmdate( 'c', (int) $stored['fetched'] ) : null,
			'lastBump'             => is_array( $bumped ) ? array(
				'version' => (string) $bumped['version'],
				'at'      => gmdate( 'c', (int) $bumped['at'] ),
			) : null,
			'bumpPolicyOnNewItems' => Settings::get( 'bump_policy_on_new_items' ),
			'shortcode'            => '[' . self::SHORTCODE . ']',
		);
	}

	/**
	 * The published categories (in the site's order) with their reviewed items,
	 * and the ids of those items.
	 *
	 * @param Service_Client $client Client with the secret key.
	 * @return array{categories: array<int, array<string, mixed>>, known: string[]}|WP_Error
	 */
	private static function fetch( Service_Client $client ) {
		$site       = '/sites/' . rawurlencode( Settings::site_id() );
		$categories = $client->request( 'GET', $site . '/categories' );
		if ( is_wp_error( $categories ) ) {
			return $categories;
		}
		$entries = array();
		for ( $page = 0; $page < self::MAX_PAGES; $page++ ) {
			$answer = $client->request(
				'GET',
				$site . '/cookies',
				null,
				array(
					'reviewState' => 'done',
					'limit'       => self::PAGE_SIZE,
					'offset'      => $page * self::PAGE_SIZE,
				)
			);
			if ( is_wp_error( $answer ) ) {
				return $answer;
			}
			$rows    = (array) ( $answer['data'] ?? array() );
			$entries = array_merge( $entries, $rows );
			$total   = (int) ( $answer['pagination']['total'] ?? 0 );
			if ( count( $rows ) < self::PAGE_SIZE || count( $entries ) >= $total ) {
				break;
			}
		}

		$by_category = array();
		$known       = array();
		foreach ( $entries as $entry ) {
			$category = is_array( $entry ) ? (string) ( $entry['categoryKey'] ?? '' ) : '';
			if ( '' === $category || 'done' !== ( $entry['reviewState'] ?? '' ) ) {
				continue;
			}
			$known[]                    = (string) $entry['id'];
			$by_category[ $category ][] = array(
				'name'         => (string) ( $entry['name'] ?? '' ),
				'kind'         => (string) ( $entry['kind'] ?? 'cookie' ),
				'provider'     => (string) ( $entry['provider'] ?? '' ),
				'purpose'      => (string) ( $entry['purpose'] ?? '' ),
				'retention'    => (string) ( $entry['retention'] ?? '' ),
				'translations' => self::texts( $entry['translations'] ?? array(), array( 'provider', 'purpose', 'retention' ) ),
			);
		}
		$published = array();
		foreach ( (array) ( $categories['data'] ?? array() ) as $category ) {
			$key = (string) ( $category['key'] ?? '' );
			if ( ! isset( $by_category[ $key ] ) ) {
				continue;
			}
			$items = $by_category[ $key ];
			usort( $items, static fn( array $a, array $b ) => strcasecmp( $a['name'], $b['name'] ) );
			$published[] = array(
				'key'          => $key,
				'name'         => (string) ( $category['nameEn'] ?? $key ),
				'description'  => (string) ( $category['descriptionEn'] ?? '' ),
				'translations' => self::texts( $category['translations'] ?? array(), array( 'name', 'description' ) ),
				'items'        => $items,
			);
		}
		sort( $known );
		return array(
			'categories' => $published,
			'known'      => $known,
		);
	}

	/**
	 * Translations as stored: lower-case language tag => the given text fields (strings).
	 *
	 * @param mixed    $translations Service translations (tag => texts).
	 * @param string[] $fields       Fields kept.
	 * @return array<string, array<string, string>>
	 */
	private static function texts( $translations, array $fields ): array {
		$kept = array();
		foreach ( is_array( $translations ) ? $translations : array() as $tag => $texts ) {
			foreach ( $fields as $field ) {
				$text = is_array( $texts ) ? ( $texts[ $field ] ?? '' ) : '';
				if ( is_string( $text ) && '' !== trim( $text ) ) {
					$kept[ strtolower( (string) $tag ) ][ $field ] = $text;
				}
			}
		}
		return $kept;
	}

	/**
	 * Bumps the linked site's policy version the way the Banner screen does
	 * (`7` → `8`, `2024-a` → `2024-a-2`), then refreshes the banner cache.
	 *
	 * @param Service_Client $client Client with the secret key.
	 * @return string|WP_Error The new version.
	 */
	public static function bump_policy_version( Service_Client $client ) {
		$path   = '/sites/' . rawurlencode( Settings::site_id() );
		$answer = $client->request_text( 'GET', $path );
		if ( is_wp_error( $answer ) ) {
			return $answer;
		}
		// Objects, not arrays: the config goes back whole, and `{}` must stay `{}`.
		$site           = json_decode( $answer );
		$config         = is_object( $site ) && isset( $site->site->config ) && is_object( $site->site->config ) ? $site->site->config : new \stdClass();
		$field          = 'policyVersion';
		$next           = self::next_policy_version( (string) ( $config->$field ?? '1' ) );
		$config->$field = $next;
		$result         = $client->request_text( 'PATCH', $path, array( 'config' => $config ) );
		if ( is_wp_error( $result ) ) {
			return $result;
		}
		Banner_Config::refresh();
		return $next;
	}

	/**
	 * The version after `$version`: its trailing number plus one, else `-2` appended.
	 *
	 * @param string $version Current version.
	 */
	public static function next_policy_version( string $version ): string {
		$version = '' === $version ? '1' : $version;
		if ( preg_match( '/^(.*?)(\d+)$/', $version, $match ) ) {
			return $match[1] . ( (int) $match[2] + 1 );
		}
		return $version . '-2';
	}
}
