<?php
/**
 * Optional server-side prior blocking of well-known trackers.
 *
 * @package Consentry
 */

namespace Consentry;

use WP_HTML_Tag_Processor;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Rewrites tracker tags in the page into the blocked form the banner releases
 * after consent: `<script type="text/plain" data-category="…">` (external or
 * inline) and `<iframe data-src="…" data-category="…">`. Catches tags printed
 * by themes and other plugins before the browser could run them.
 *
 * The built-in rules are the tracker catalogue (src/shared/trackers.ts, the
 * same one the banner's patterns come from), generated into Tracker_Catalogue.
 *
 * Cost: a substring search for <script> and <iframe>, one anchored match for
 * the end of each one's start tag (a `>` inside a quoted attribute value does
 * not end it), then a search for the signatures inside those elements only;
 * WP_HTML_Tag_Processor parses only the elements that contain a signature, and
 * the start tags the anchored match cannot measure.
 */
final class Server_Blocking {

	/**
	 * Marks a tag the rewrite changed (for debugging and tests).
	 */
	public const MARK = 'data-consentry-blocked';

	/**
	 * Built-in rules. `src`: URL parts of scripts; `inline`: text of inline
	 * scripts; `iframe`: URL parts of iframes. Matching ignores case.
	 * `category` is the seeded category's key; `wpConsentCategory` finds the
	 * site's own category where it has no such key.
	 *
	 * @var array<string, array<string, mixed>>
	 */
	public const DEFAULT_RULES = Tracker_Catalogue::RULES;

	/**
	 * A SCRIPT or IFRAME start tag in the strict form HTML parses the same way
	 * everywhere (lower-cased page, anchored at the offset): attributes after
	 * whitespace, values in double or single quotes or plain.
	 */
	private const WELL_FORMED_START_TAG = '/\G<(?:script|iframe)(?:[\t\n\f\r ]++[^\t\n\f\r "\'<>\/=]++(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:"[^"]*+"|\'[^\']*+\'|[^\t\n\f\r "\'=<>`]++))?+)*+[\t\n\f\r ]*+\/?>/';

	/**
	 * How many `>` a malformed start tag is read up to before it is taken to run to the end of the page.
	 */
	private const MAX_TAG_READS = 8;

	/**
	 * Script types that are JavaScript (others, like JSON-LD, are left alone).
	 */
	private const JS_TYPES = array( '', 'text/javascript', 'application/javascript', 'module', 'text/ecmascript', 'application/ecmascript' );

	/**
	 * The rules in force, resolved to the site's categories.
	 *
	 * @var array<int, array<string, mixed>>
	 */
	private array $rules = array();

	/**
	 * Every signature (lower case), to skip elements quickly.
	 *
	 * @var string[]
	 */
	private array $signatures = array();

	/**
	 * One regular expression that finds any signature (in lower-cased text), or ''.
	 *
	 * @var string
	 */
	private string $pattern = '';

	/**
	 * Starts buffering the page when this request should be rewritten (on `template_redirect`).
	 */
	public static function start(): void {
		if ( ! Settings::get( 'server_blocking' ) || ! self::is_front_end_page() || ! Frontend::is_active() ) {
			return;
		}
		$page     = Banner_Config::page();
		$blocking = new self();
		if ( null !== $page && is_array( $page['blocking'] ?? null ) && ! has_filter( 'consentry_blocking_rules' ) ) {
			// Resolved and compiled when the config was stored.
			$blocking->load( $page['blocking'] );
		} else {
			$config = Banner_Config::get();
			$blocking->prepare( self::resolve_rules( self::rules( $config ), is_array( $config['categories'] ?? null ) ? $config['categories'] : array() ) );
		}
		if ( $blocking->rules ) {
			ob_start( array( $blocking, 'rewrite' ) );
		}
	}

	/**
	 * Every rule: the admin's block patterns per category first (the admin's
	 * category wins over a built-in one), the built-in rules, and whatever the
	 * `consentry_blocking_rules` filter adds.
	 *
	 * @param array<string, mixed>|null $config Banner config (BannerConfigResponse).
	 * @return array<string, array<string, mixed>>
	 */
	public static function rules( ?array $config ): array {
		/**
		 * Filters the server-side blocking rules.
		 *
		 * Each rule: `category` (a category key of the site), and any of `src`
		 * (script URL parts), `inline` (inline script text parts), `iframe`
		 * (iframe URL parts). Matching ignores case.
		 *
		 * @param array<string, array<string, mixed>> $rules Rules by id.
		 */
		return (array) apply_filters( 'consentry_blocking_rules', self::default_rules( $config ) );
	}

	/**
	 * The rules before the `consentry_blocking_rules` filter: the admin's block
	 * patterns per category, then the built-in rules.
	 *
	 * @param array<string, mixed>|null $config Banner config (BannerConfigResponse).
	 * @return array<string, array<string, mixed>>
	 */
	public static function default_rules( ?array $config ): array {
		$rules = array();
		foreach ( (array) ( $config['categories'] ?? array() ) as $category ) {
			$patterns = array_values( array_filter( (array) ( $category['blockPatterns'] ?? array() ), 'is_string' ) );
			if ( $patterns && empty( $category['isRequired'] ) ) {
				$rules[ 'site-' . $category['key'] ] = array(
					'category' => (string) $category['key'],
					'src'      => $patterns,
					'iframe'   => $patterns,
				);
			}
		}
		return $rules + self::DEFAULT_RULES;
	}

	/**
	 * Keeps the rules whose category the site has. A built-in rule whose
	 * category the admin removed goes to the category standing for its WP
	 * Consent API category, or is dropped: a tag blocked under a category the
	 * banner never offers could never run.
	 *
	 * @param array<string, array<string, mixed>> $rules      Rules.
	 * @param array<int, array<string, mixed>>    $categories The site's categories.
	 * @return array<int, array<string, mixed>>
	 */
	public static function resolve_rules( array $rules, array $categories ): array {
		$keys  = array();
		$by_wp = array();
		foreach ( $categories as $category ) {
			if ( ! empty( $category['isRequired'] ) || ! isset( $category['key'] ) ) {
				continue;
			}
			$key          = (string) $category['key'];
			$wp           = (string) ( $category['wpConsentCategory'] ?? '' );
			$keys[ $key ] = true;
			if ( ! isset( $by_wp[ $wp ] ) ) {
				$by_wp[ $wp ] = $key; // The first category of each WP Consent API kind takes its trackers.
			}
		}
		$resolved = array();
		foreach ( $rules as $rule ) {
			if ( ! is_array( $rule ) || empty( $rule['category'] ) ) {
				continue;
			}
			$category = (string) $rule['category'];
			if ( ! isset( $keys[ $category ] ) ) {
				$category = $by_wp[ (string) ( $rule['wpConsentCategory'] ?? '' ) ] ?? '';
			}
			if ( '' === $category ) {
				continue;
			}
			$clean = array( 'category' => $category );
			foreach ( array( 'src', 'inline', 'iframe' ) as $kind ) {
				$clean[ $kind ] = array_values( array_filter( array_map( 'strtolower', array_filter( (array) ( $rule[ $kind ] ?? array() ), 'is_string' ) ) ) );
			}
			$resolved[] = $clean;
		}
		return $resolved;
	}

	/**
	 * Resolved rules made ready for rewriting: the rules (none when they have no
	 * signature), their signatures, and one pattern finding any of them.
	 *
	 * @param array<int, array<string, mixed>> $rules Resolved rules.
	 * @return array{rules: array<int, array<string, mixed>>, signatures: string[], pattern: string}
	 */
	public static function compile( array $rules ): array {
		$signatures = array();
		foreach ( $rules as $rule ) {
			foreach ( array( 'src', 'inline', 'iframe' ) as $kind ) {
				foreach ( $rule[ $kind ] as $signature ) {
					$signatures[ (string) $signature ] = true;
				}
			}
		}
		$signatures = array_map( 'strval', array_keys( $signatures ) );
		$quoted     = array();
		foreach ( $signatures as $signature ) {
			$quoted[] = preg_quote( $signature, '/' );
		}
		return array(
			'rules'      => $signatures ? $rules : array(),
			'signatures' => $signatures,
			'pattern'    => $signatures ? '/' . implode( '|', $quoted ) . '/S' : '',
		);
	}

	/**
	 * Sets the rules and collects their signatures for the early out.
	 *
	 * @param array<int, array<string, mixed>> $rules Resolved rules.
	 */
	public function prepare( array $rules ): void {
		$this->load( self::compile( $rules ) );
	}

	/**
	 * Sets compiled rules (see `compile()`).
	 *
	 * @param array<string, mixed> $compiled Compiled rules.
	 */
	private function load( array $compiled ): void {
		$this->rules      = (array) ( $compiled['rules'] ?? array() );
		$this->signatures = (array) ( $compiled['signatures'] ?? array() );
		$this->pattern    = (string) ( $compiled['pattern'] ?? '' );
	}

	/**
	 * Output-buffer callback: the page, with tracker tags blocked.
	 *
	 * @param string $html Page.
	 */
	public function rewrite( $html ): string {
		$html = (string) $html;
		if ( ! $this->signatures || ! self::is_html_response() ) {
			return $html;
		}
		// Walking every tag of a long page with the tag processor takes milliseconds:
		// find each <script> and <iframe> by substring instead, look for signatures
		// inside that element only, and give the tag processor only the elements
		// that have one.
		$page   = strtolower( $html );
		$out    = '';
		$copied = 0;
		$offset = 0;
		$script = self::find_tag( $page, '<script', 0 );
		$iframe = self::find_tag( $page, '<iframe', 0 );
		while ( true ) {
			// Each search runs again only once the walk has passed its last hit.
			if ( false !== $script && $script < $offset ) {
				$script = self::find_tag( $page, '<script', $offset );
			}
			if ( false !== $iframe && $iframe < $offset ) {
				$iframe = self::find_tag( $page, '<iframe', $offset );
			}
			if ( false === $script && false === $iframe ) {
				break;
			}
			$is_script = false !== $script && ( false === $iframe || $script < $iframe );
			$start     = $is_script ? $script : $iframe;
			$name      = $is_script ? 'script' : 'iframe';
			// Both are raw-text elements: the element runs to its end tag, or to the end of the page.
			$end    = self::element_end( $html, $page, $start, $name );
			$offset = $end;
			$length = $end - $start;
			// Consentry's own boot tags (printed id first) name trackers on purpose.
			if ( 0 === substr_compare( $page, '<script id="consentry-', $start, 22 ) || ! $this->mentions_signature( substr( $page, $start, $length ) ) ) {
				continue;
			}
			// The tag processor wants the element closed.
			$closer = '</' . $name . '>';
			$tags   = new WP_HTML_Tag_Processor( substr( $html, $start, $length ) . $closer );
			if ( $tags->next_tag() && ( $is_script ? $this->block_script( $tags ) : $this->block_iframe( $tags ) ) ) {
				$out   .= substr( $html, $copied, $start - $copied ) . substr( $tags->get_updated_html(), 0, -strlen( $closer ) );
				$copied = $start + $length;
			}
		}
		return $copied ? $out . substr( $html, $copied ) : $html;
	}

	/**
	 * Whether a (lower-cased) element contains any rule's signature.
	 *
	 * @param string $element Lower-cased element text.
	 */
	private function mentions_signature( string $element ): bool {
		if ( '' !== $this->pattern ) {
			// One search for all signatures (PCRE keeps the compiled pattern for the process).
			$found = preg_match( $this->pattern, $element );
			if ( false !== $found ) {
				return 1 === $found;
			}
		}
		foreach ( $this->signatures as $signature ) {
			if ( str_contains( $element, $signature ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Where the SCRIPT or IFRAME element starting at `$start` ends: at its end tag
	 * after the start tag, or at the end of the page. The start tag ends at the
	 * first `>` outside a quoted attribute value (`title="a > b"` does not end it).
	 *
	 * @param string $html  Page.
	 * @param string $page  Lower-cased page.
	 * @param int    $start Offset of the element's `<`.
	 * @param string $name  `script` or `iframe`.
	 */
	private static function element_end( string $html, string $page, int $start, string $name ): int {
		$tag_end = self::start_tag_end( $html, $page, $start, $name );
		if ( null === $tag_end ) {
			return strlen( $page );
		}
		$end = self::find_tag( $page, '</' . $name, $tag_end );
		return false === $end ? strlen( $page ) : $end;
	}

	/**
	 * Offset just past the start tag at `$start`, or null when it never ends.
	 * A well-formed tag (attributes after whitespace, values quoted or plain) is
	 * measured by one anchored match; any other is read by WP_HTML_Tag_Processor
	 * up to one `>` after another until it reads a whole tag (a `>` before the
	 * real end is inside a quoted value, so the processor finds the tag unfinished).
	 * After MAX_TAG_READS tries the element runs to the end of the page: only
	 * whoever writes the page's HTML can make such a tag, and the start tag is
	 * still checked.
	 *
	 * @param string $html  Page.
	 * @param string $page  Lower-cased page.
	 * @param int    $start Offset of the tag's `<`.
	 * @param string $name  `script` or `iframe`.
	 */
	private static function start_tag_end( string $html, string $page, int $start, string $name ): ?int {
		if ( 1 === preg_match( self::WELL_FORMED_START_TAG, $page, $match, 0, $start ) ) {
			return $start + strlen( $match[0] );
		}
		$closer = '</' . $name . '>';
		$gt     = strpos( $page, '>', $start );
		for ( $tries = 0; false !== $gt && $tries < self::MAX_TAG_READS; ++$tries ) {
			$tags = new WP_HTML_Tag_Processor( substr( $html, $start, $gt + 1 - $start ) . $closer );
			if ( $tags->next_tag() || ! $tags->paused_at_incomplete_token() ) {
				return $gt + 1;
			}
			$gt = strpos( $page, '>', $gt + 1 );
		}
		return null;
	}

	/**
	 * Where the next start tag named `$open` (`<script`) begins, or false.
	 *
	 * @param string $page   Lower-cased page.
	 * @param string $open   `<` and the tag name, lower case.
	 * @param int    $offset Where to search from.
	 * @return int|false
	 */
	private static function find_tag( string $page, string $open, int $offset ) {
		$at = strpos( $page, $open, $offset );
		while ( false !== $at ) {
			$next = $page[ $at + strlen( $open ) ] ?? '';
			if ( '>' === $next || '/' === $next || ctype_space( $next ) ) {
				return $at;
			}
			$at = strpos( $page, $open, $at + 1 );
		}
		return false;
	}

	/**
	 * Blocks the script at the cursor when a rule matches it.
	 *
	 * @param WP_HTML_Tag_Processor $tags Processor at a SCRIPT tag.
	 */
	private function block_script( WP_HTML_Tag_Processor $tags ): bool {
		$id = $tags->get_attribute( 'id' );
		if ( is_string( $id ) && str_starts_with( $id, 'consentry-' ) ) {
			return false;
		}
		$type = $tags->get_attribute( 'type' );
		$type = is_string( $type ) ? strtolower( trim( $type ) ) : '';
		if ( ! in_array( $type, self::JS_TYPES, true ) ) {
			return false; // Already blocked (text/plain), or not JavaScript.
		}
		$src = $tags->get_attribute( 'src' );
		if ( is_string( $src ) && '' !== $src ) {
			$category = $this->match( 'src', $src );
		} else {
			$category = $this->match( 'inline', $tags->get_modifiable_text() );
		}
		if ( null === $category ) {
			return false;
		}
		$tags->set_attribute( 'type', 'text/plain' );
		$tags->set_attribute( 'data-category', $category );
		$tags->set_attribute( self::MARK, true );
		if ( 'module' === $type ) {
			$tags->set_attribute( 'data-type', 'module' );
		}
		return true;
	}

	/**
	 * Blocks the iframe at the cursor when a rule matches its URL.
	 *
	 * @param WP_HTML_Tag_Processor $tags Processor at an IFRAME tag.
	 */
	private function block_iframe( WP_HTML_Tag_Processor $tags ): bool {
		$src = $tags->get_attribute( 'src' );
		if ( ! is_string( $src ) || '' === $src || null !== $tags->get_attribute( 'data-src' ) ) {
			return false;
		}
		$category = $this->match( 'iframe', $src );
		if ( null === $category ) {
			return false;
		}
		$tags->set_attribute( 'data-src', $src );
		$tags->remove_attribute( 'src' );
		$tags->set_attribute( 'data-category', $category );
		$tags->set_attribute( self::MARK, true );
		return true;
	}

	/**
	 * The category of the first rule with a `$kind` signature found in `$subject`.
	 *
	 * @param string $kind    `src`, `inline` or `iframe`.
	 * @param string $subject URL or script text.
	 */
	private function match( string $kind, string $subject ): ?string {
		if ( '' === $subject ) {
			return null;
		}
		$subject = strtolower( $subject );
		foreach ( $this->rules as $rule ) {
			foreach ( $rule[ $kind ] as $signature ) {
				if ( str_contains( $subject, $signature ) ) {
					return $rule['category'];
				}
			}
		}
		return null;
	}

	/**
	 * A themed front-end page (not admin, REST, feeds, AJAX, cron, embeds or previews of the Customizer).
	 */
	private static function is_front_end_page(): bool {
		return ! is_admin()
			&& ! wp_doing_ajax()
			&& ! wp_doing_cron()
			&& ! ( defined( 'REST_REQUEST' ) && REST_REQUEST )
			&& ! ( defined( 'XMLRPC_REQUEST' ) && XMLRPC_REQUEST )
			&& ! is_feed()
			&& ! is_embed()
			&& ! is_robots()
			&& ! is_customize_preview();
	}

	/**
	 * Whether the response is HTML (a template may have sent something else).
	 */
	private static function is_html_response(): bool {
		foreach ( headers_list() as $header ) {
			if ( 0 === stripos( $header, 'content-type:' ) ) {
				return false !== stripos( $header, 'html' );
			}
		}
		return true;
	}
}
