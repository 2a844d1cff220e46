<?php
/**
 * "Cookie settings" link: a shortcode and a block.
 *
 * @package Consentry
 */

namespace Consentry;

use WP_Block;
use WP_Block_Type_Registry;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * `[consentry_settings]` and the `consentry/settings-link` block both render a
 * button the banner listens to (`data-consentry-open`): it reopens the
 * preference centre, so withdrawing consent is as easy as giving it.
 */
final class Settings_Link {

	public const SHORTCODE = 'consentry_settings';
	public const BLOCK     = 'consentry/settings-link';

	/**
	 * Registers the shortcode and the block (on `init`).
	 */
	public static function register(): void {
		add_shortcode( self::SHORTCODE, array( self::class, 'render_shortcode' ) );
		self::register_block();
	}

	/**
	 * Registers the block from its block.json (once).
	 */
	public static function register_block(): void {
		if ( WP_Block_Type_Registry::get_instance()->is_registered( self::BLOCK ) ) {
			return;
		}
		$block = register_block_type(
			CONSENTRY_DIR . 'blocks/settings-link',
			array( 'render_callback' => array( self::class, 'render_block' ) )
		);
		// The editor script's translations ship in the plugin, not in wp-content/languages.
		foreach ( $block ? $block->editor_script_handles : array() as $handle ) {
			wp_set_script_translations( $handle, 'consentry', CONSENTRY_DIR . 'languages' );
		}
	}

	/**
	 * The shortcode: `[consentry_settings label="…"]`.
	 *
	 * @param array<string, string>|string $atts Attributes.
	 */
	public static function render_shortcode( $atts ): string {
		$atts = shortcode_atts( array( 'label' => '' ), is_array( $atts ) ? $atts : array(), self::SHORTCODE );
		return self::button( (string) $atts['label'], 'class="consentry-settings-link"' );
	}

	/**
	 * The block (rendered on the server only).
	 *
	 * @param array<string, mixed> $attributes Block attributes.
	 * @param string               $content    Inner content (none).
	 * @param WP_Block|null        $block      Block.
	 */
	public static function render_block( array $attributes, string $content = '', $block = null ): string {
		return self::button( (string) ( $attributes['label'] ?? '' ), get_block_wrapper_attributes( array( 'class' => 'consentry-settings-link' ) ) );
	}

	/**
	 * The button markup.
	 *
	 * @param string $label      Text; empty for the translated default.
	 * @param string $attributes Escaped attributes (class …).
	 */
	private static function button( string $label, string $attributes ): string {
		$label = '' !== trim( $label ) ? $label : __( 'Cookie settings', 'consentry' );
		return '<button type="button" ' . $attributes . ' data-consentry-open>' . esc_html( $label ) . '</button>';
	}
}
