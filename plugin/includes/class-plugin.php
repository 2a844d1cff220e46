<?php
/**
 * The one place that lists the plugin's modules.
 *
 * @package Consentry
 */

namespace Consentry;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Loads the modules and lets each register its hooks.
 */
final class Plugin {

	/**
	 * Files to load, in order. Listed explicitly: no discovery at run time.
	 */
	private const FILES = array(
		'includes/functions.php',
		'includes/class-settings.php',
		'includes/class-service-client.php',
		'includes/class-banner-config.php',
		'includes/rest/class-controller.php',
		'includes/rest/class-admin-controller.php',
		'includes/rest/class-connection-controller.php',
		'includes/rest/class-site-controller.php',
		'includes/rest/class-categories-controller.php',
		'includes/rest/class-events-controller.php',
		'includes/rest/class-usage-controller.php',
		'includes/rest/class-visitor-controller.php',
		'includes/rest/class-consent-controller.php',
		'includes/rest/class-heartbeat-controller.php',
		'includes/class-admin-page.php',
		'includes/class-frontend.php',
		'includes/class-settings-link.php',
		'includes/class-consent-api-bridge.php',
		'includes/class-server-blocking.php',
	);

	/**
	 * Modules: each has a `register()` that adds its hooks.
	 */
	private const MODULES = array(
		Settings::class,
		Rest\Connection_Controller::class,
		Rest\Site_Controller::class,
		Rest\Categories_Controller::class,
		Rest\Events_Controller::class,
		Rest\Usage_Controller::class,
		Rest\Consent_Controller::class,
		Rest\Heartbeat_Controller::class,
		Admin_Page::class,
		Frontend::class,
		Settings_Link::class,
		Consent_Api_Bridge::class,
		Server_Blocking::class,
	);

	/**
	 * Runs once, on `plugins_loaded`.
	 */
	public static function boot(): void {
		static $booted = false;
		if ( $booted ) {
			return;
		}
		$booted = true;

		foreach ( self::FILES as $file ) {
			require_once CONSENTRY_DIR . $file;
		}
		add_action( 'init', array( self::class, 'load_textdomain' ) );
		foreach ( self::MODULES as $module ) {
			( new $module() )->register();
		}
	}

	/**
	 * The plugin ships its own translations in /languages.
	 */
	public static function load_textdomain(): void {
		load_plugin_textdomain( 'consentry', false, dirname( plugin_basename( CONSENTRY_FILE ) ) . '/languages' );
	}
}
