<?php
/**
 * The one place that lists the plugin's modules and the hooks they answer.
 *
 * @package Consentry
 */

namespace Consentry;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Lists every class with its file and every hook with its handler, explicitly
 * (no discovery at run time). Files load only when a hook needs their class,
 * so a front-end page never reads the REST or wp-admin code: every file costs
 * time on each request when opcode caching is weak (the budget is 1 ms).
 */
final class Plugin {

	public const SHORTCODE = 'consentry_settings';

	/**
	 * The "Cookie settings" block's folder (block.json) and its editor script's handle.
	 */
	public const BLOCK_NAME          = 'consentry/settings-link';
	public const BLOCK_DIR           = 'blocks/settings-link';
	public const BLOCK_EDITOR_SCRIPT = 'consentry-settings-link-editor';

	/**
	 * The blocks: name => folder (block.json, index.js, index.asset.php), editor
	 * script handle (block.json's `editorScript`) and server renderer.
	 */
	private const BLOCKS = array(
		self::BLOCK_NAME          => array( self::BLOCK_DIR, self::BLOCK_EDITOR_SCRIPT, array( Settings_Link::class, 'render_block' ) ),
		'consentry/cookie-policy' => array( 'blocks/cookie-policy', 'consentry-cookie-policy-editor', array( Cookie_Declaration::class, 'render_block' ) ),
	);

	/**
	 * Class => file, for the autoloader.
	 */
	private const CLASSES = array(
		Settings::class                    => 'includes/class-settings.php',
		Service_Client::class              => 'includes/class-service-client.php',
		Banner_Config::class               => 'includes/class-banner-config.php',
		Frontend::class                    => 'includes/class-frontend.php',
		Settings_Link::class               => 'includes/class-settings-link.php',
		Cookie_Declaration::class          => 'includes/class-cookie-declaration.php',
		Consent_Api_Bridge::class          => 'includes/class-consent-api-bridge.php',
		Server_Blocking::class             => 'includes/class-server-blocking.php',
		Admin_Page::class                  => 'includes/class-admin-page.php',
		Schema::class                      => 'includes/generated/class-schema.php',
		Tracker_Catalogue::class           => 'includes/generated/class-tracker-catalogue.php',
		Site_Health::class                 => 'includes/class-site-health.php',
		Setup_Notice::class                => 'includes/class-setup-notice.php',
		Offline_Queue::class               => 'includes/class-offline-queue.php',
		Setup_Guide::class                 => 'includes/class-setup-guide.php',
		Rest\Controller::class             => 'includes/rest/class-controller.php',
		Rest\Admin_Controller::class       => 'includes/rest/class-admin-controller.php',
		Rest\Visitor_Controller::class     => 'includes/rest/class-visitor-controller.php',
		Rest\Connection_Controller::class  => 'includes/rest/class-connection-controller.php',
		Rest\Site_Controller::class        => 'includes/rest/class-site-controller.php',
		Rest\Categories_Controller::class  => 'includes/rest/class-categories-controller.php',
		Rest\Events_Controller::class      => 'includes/rest/class-events-controller.php',
		Rest\Csv_Export::class             => 'includes/rest/class-csv-export.php',
		Rest\Usage_Controller::class       => 'includes/rest/class-usage-controller.php',
		Rest\Webhooks_Controller::class    => 'includes/rest/class-webhooks-controller.php',
		Rest\Consent_Controller::class     => 'includes/rest/class-consent-controller.php',
		Rest\Heartbeat_Controller::class   => 'includes/rest/class-heartbeat-controller.php',
		Rest\Display_Controller::class     => 'includes/rest/class-display-controller.php',
		Rest\Site_Health_Controller::class => 'includes/rest/class-site-health-controller.php',
		Rest\Scans_Controller::class       => 'includes/rest/class-scans-controller.php',
		Rest\Cookies_Controller::class     => 'includes/rest/class-cookies-controller.php',
		Rest\Queue_Controller::class       => 'includes/rest/class-queue-controller.php',
		Rest\Setup_Guide_Controller::class => 'includes/rest/class-setup-guide-controller.php',
	);

	/**
	 * REST controllers, registered when the REST server starts.
	 */
	private const REST_CONTROLLERS = array(
		Rest\Connection_Controller::class,
		Rest\Site_Controller::class,
		Rest\Categories_Controller::class,
		Rest\Events_Controller::class,
		Rest\Usage_Controller::class,
		Rest\Webhooks_Controller::class,
		Rest\Consent_Controller::class,
		Rest\Heartbeat_Controller::class,
		Rest\Display_Controller::class,
		Rest\Site_Health_Controller::class,
		Rest\Scans_Controller::class,
		Rest\Cookies_Controller::class,
		Rest\Queue_Controller::class,
		Rest\Setup_Guide_Controller::class,
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
		spl_autoload_register( array( self::class, 'autoload' ) );
		require_once CONSENTRY_DIR . 'includes/functions.php';

		// Everywhere.
		add_action( 'init', array( self::class, 'init' ) );
		add_action( 'rest_api_init', array( self::class, 'register_rest_controllers' ), 0 );
		add_action( 'rest_api_init', array( Settings::class, 'register_setting' ) );
		add_action( 'admin_init', array( Settings::class, 'register_setting' ) );
		add_filter( 'wp_consent_api_registered_' . self::basename(), '__return_true' );
		add_filter( 'wp_get_consent_type', array( Consent_Api_Bridge::class, 'consent_type' ) );
		// Offline_Queue::CRON_HOOK, written out so that pages do not load the queue's file.
		add_action( 'consentry_flush_queue', array( Offline_Queue::class, 'run_cron' ) );

		// Front end: the banner boot, and optional server-side blocking.
		add_action( 'wp_head', array( Frontend::class, 'print_boot' ), 1 );
		add_action( 'wp_enqueue_scripts', array( Frontend::class, 'enqueue_banner' ) );
		add_action( 'template_redirect', array( Server_Blocking::class, 'start' ), PHP_INT_MAX );

		// wp-admin.
		if ( is_admin() ) {
			add_action( 'admin_menu', array( Admin_Page::class, 'add_menu' ) );
			add_action( 'admin_enqueue_scripts', array( Admin_Page::class, 'enqueue' ) );
			add_filter( 'plugin_action_links_' . self::basename(), array( Admin_Page::class, 'action_links' ) );
			add_filter( 'site_status_tests', array( Site_Health::class, 'tests' ) );
			add_filter( 'debug_information', array( Site_Health::class, 'debug_information' ) );
			add_action( 'admin_notices', array( Setup_Notice::class, 'render' ) );
			add_action( 'admin_post_' . Setup_Notice::ACTION, array( Setup_Notice::class, 'dismiss' ) );
		}
	}

	/**
	 * Activation: the queue's table (Offline_Queue). Runs before `plugins_loaded`
	 * has booted this plugin, so without the autoloader.
	 */
	public static function activate(): void {
		require_once CONSENTRY_DIR . 'includes/class-offline-queue.php';
		Offline_Queue::install();
	}

	/**
	 * The plugin_basename() of the main file (`consentry/consentry.php`), worked out once a request.
	 */
	public static function basename(): string {
		static $basename = null;
		if ( null === $basename ) {
			$basename = plugin_basename( CONSENTRY_FILE );
		}
		return $basename;
	}

	/**
	 * `init`: translations, the "Cookie settings" and cookie declaration
	 * shortcodes and blocks. Their renderers (Settings_Link, Cookie_Declaration)
	 * load only when a page uses one, the blocks' editor scripts are registered
	 * in wp-admin only, and pages register a block itself only when they render
	 * one: pages read no extra file.
	 */
	public static function init(): void {
		load_plugin_textdomain( 'consentry', false, dirname( self::basename() ) . '/languages' );
		add_shortcode( self::SHORTCODE, array( Settings_Link::class, 'render_shortcode' ) );
		add_shortcode( Cookie_Declaration::SHORTCODE, array( Cookie_Declaration::class, 'render_shortcode' ) );
		if ( is_admin() ) {
			foreach ( self::BLOCKS as list( $dir, $handle ) ) {
				$asset = require CONSENTRY_DIR . $dir . '/index.asset.php';
				wp_register_script( $handle, CONSENTRY_URL . $dir . '/index.js', $asset['dependencies'], $asset['version'], true );
				wp_set_script_translations( $handle, 'consentry', CONSENTRY_DIR . 'languages' );
			}
		}
		if ( is_admin() || wp_doing_ajax() || ( defined( 'WP_CLI' ) && WP_CLI ) ) {
			self::register_block();
		} else {
			// A page registers the block only when it renders one: reading block.json,
			// translating its metadata and one more block type in every theme.json pass
			// cost about 0.2 ms a page. REST requests (the editor's block types and
			// renderer) are known only later, on rest_api_init.
			add_filter( 'pre_render_block', array( self::class, 'register_block_on_demand' ), 10, 3 );
			add_action( 'rest_api_init', array( self::class, 'register_block' ) );
		}
	}

	/**
	 * Registers the blocks (once).
	 */
	public static function register_block(): void {
		$registry = \WP_Block_Type_Registry::get_instance();
		foreach ( self::BLOCKS as $name => list( $dir, , $render ) ) {
			if ( ! $registry->is_registered( $name ) ) {
				register_block_type( CONSENTRY_DIR . $dir, array( 'render_callback' => $render ) );
			}
		}
	}

	/**
	 * `pre_render_block`: registers the block before a tree that holds one is
	 * rendered. Looks at top-level blocks only (every do_blocks() call, template
	 * parts and patterns included, renders its blocks through render_block()
	 * with no parent), and at their whole tree: inner blocks get their block
	 * type when their parent is built, before the filter sees them.
	 *
	 * @param string|null          $pre_render   Short-circuit value of other filters.
	 * @param array<string, mixed> $parsed_block The block about to render.
	 * @param \WP_Block|null       $parent_block Its parent, null at the top.
	 * @return string|null Unchanged.
	 */
	public static function register_block_on_demand( $pre_render, $parsed_block, $parent_block = null ) {
		if ( null === $parent_block && is_array( $parsed_block ) && self::holds_block( $parsed_block ) ) {
			remove_filter( 'pre_render_block', array( self::class, 'register_block_on_demand' ), 10 );
			self::register_block();
		}
		return $pre_render;
	}

	/**
	 * Whether a parsed block is, or contains, one of the plugin's blocks.
	 *
	 * @param array<string, mixed> $parsed_block Parsed block.
	 */
	private static function holds_block( array $parsed_block ): bool {
		if ( isset( self::BLOCKS[ (string) ( $parsed_block['blockName'] ?? '' ) ] ) ) {
			return true;
		}
		foreach ( $parsed_block['innerBlocks'] ?? array() as $inner ) {
			if ( is_array( $inner ) && self::holds_block( $inner ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * `rest_api_init`: every controller registers its routes (and its own filters).
	 */
	public static function register_rest_controllers(): void {
		foreach ( self::REST_CONTROLLERS as $controller ) {
			( new $controller() )->register();
		}
	}

	/**
	 * Loads a Consentry class from the map.
	 *
	 * @param string $class_name Fully qualified class name.
	 */
	public static function autoload( string $class_name ): void {
		if ( isset( self::CLASSES[ $class_name ] ) ) {
			require_once CONSENTRY_DIR . self::CLASSES[ $class_name ];
		}
	}
}
