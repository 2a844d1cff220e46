<?php
/**
 * The Consentry screen in wp-admin.
 *
 * @package Consentry
 */

namespace Consentry;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * A top-level "Consentry" menu whose page is one root div; the React admin app
 * (src/admin, built to build/admin/) mounts there. Its boot data is
 * `window.consentryAdmin = { restRoot, restNamespace, connection, siteDomain, locale, adminUrl }`
 * and never holds the secret key (only its hint, inside `connection`).
 */
final class Admin_Page {

	public const SLUG        = 'consentry';
	public const CAPABILITY  = 'manage_options';
	public const HANDLE      = 'consentry-admin';
	public const BOOT_GLOBAL = 'consentryAdmin';

	/**
	 * Hook suffix of the page, set when the menu is added.
	 *
	 * @var string
	 */
	private static string $hook_suffix = '';

	/**
	 * Adds the menu entry.
	 */
	public static function add_menu(): void {
		self::$hook_suffix = (string) add_menu_page(
			__( 'Consentry', 'consentry' ),
			__( 'Consentry', 'consentry' ),
			self::CAPABILITY,
			self::SLUG,
			array( self::class, 'render' ),
			'dashicons-shield',
			81
		);
	}

	/**
	 * The page: one root for the app, and a message for browsers without JavaScript.
	 */
	public static function render(): void {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			return;
		}
		echo '<div class="wrap"><div id="consentry-admin"></div><noscript><p>'
			. esc_html__( 'The Consentry settings need JavaScript.', 'consentry' )
			. '</p></noscript></div>';
	}

	/**
	 * "Settings" link on the Plugins screen.
	 *
	 * @param string[] $links Links.
	 * @return string[]
	 */
	public static function action_links( array $links ): array {
		array_unshift(
			$links,
			sprintf( '<a href="%s">%s</a>', esc_url( admin_url( 'admin.php?page=' . self::SLUG ) ), esc_html__( 'Settings', 'consentry' ) )
		);
		return $links;
	}

	/**
	 * Enqueues the app on its own page only, from the generated asset manifest.
	 *
	 * @param string $hook_suffix Current admin page.
	 */
	public static function enqueue( string $hook_suffix ): void {
		if ( '' === self::$hook_suffix || $hook_suffix !== self::$hook_suffix ) {
			return;
		}
		$dir        = CONSENTRY_DIR . 'build/admin/';
		$asset_file = $dir . 'index.asset.php';
		wp_enqueue_style( 'wp-components' );
		if ( ! is_readable( $asset_file ) || ! is_readable( $dir . 'index.js' ) ) {
			add_action( 'admin_notices', array( self::class, 'missing_build_notice' ) );
			return;
		}
		$asset = require $asset_file;
		wp_enqueue_script(
			self::HANDLE,
			CONSENTRY_URL . 'build/admin/index.js',
			$asset['dependencies'] ?? array(),
			$asset['version'] ?? CONSENTRY_VERSION,
			array( 'in_footer' => true )
		);
		wp_set_script_translations( self::HANDLE, 'consentry', CONSENTRY_DIR . 'languages' );
		wp_add_inline_script( self::HANDLE, 'window.' . self::BOOT_GLOBAL . ' = ' . wp_json_encode( self::boot_data() ) . ';', 'before' );

		foreach ( array( 'index.css', 'style-index.css' ) as $css ) {
			if ( is_readable( $dir . $css ) ) {
				$handle = self::HANDLE . '-' . basename( $css, '.css' );
				wp_enqueue_style( $handle, CONSENTRY_URL . 'build/admin/' . $css, array( 'wp-components' ), $asset['version'] ?? CONSENTRY_VERSION );
				if ( is_readable( $dir . basename( $css, '.css' ) . '-rtl.css' ) ) {
					// Right-to-left admin languages get the mirrored file wp-scripts builds.
					wp_style_add_data( $handle, 'rtl', 'replace' );
				}
			}
		}
	}

	/**
	 * Shown when the app was not built.
	 */
	public static function missing_build_notice(): void {
		echo '<div class="notice notice-error"><p>'
			. esc_html__( 'The Consentry admin app is not built. Run "npm run build" in the plugin\'s source folder.', 'consentry' )
			. '</p></div>';
	}

	/**
	 * What the app needs to start. Nothing secret.
	 *
	 * @return array<string, mixed>
	 */
	public static function boot_data(): array {
		return array(
			'restRoot'      => '/' . CONSENTRY_REST_NAMESPACE,
			'restNamespace' => CONSENTRY_REST_NAMESPACE,
			'connection'    => Settings::connection(),
			'siteDomain'    => Settings::site_domain(),
			'siteUrl'       => home_url( '/' ),
			'locale'        => get_user_locale(),
			'version'       => CONSENTRY_VERSION,
		);
	}
}
