<?php
/**
 * "Cookie settings" link: a shortcode and a block.
 *
 * @package Consentry
 */

namespace Consentry;

use WP_Block;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * `[consentry_settings]` and the `consentry/settings-link` block (both
 * registered by Plugin::init) render a button the banner listens to
 * (`data-consentry-open`): it reopens the preference centre, so withdrawing
 * consent is as easy as giving it. This file loads only when one is rendered.
 */
final class Settings_Link {

	/**
	 * The shortcode: `[consentry_settings label="…"]`.
	 *
	 * @param array<string, string>|string $atts Attributes.
	 */
	public static function render_shortcode( $atts ): string {
		$atts = shortcode_atts( array( 'label' => '' ), is_array( $atts ) ? $atts : array(), Plugin::SHORTCODE );
		return self::button( (string) $atts['label'], 'class="consentry-settings-link"' );
	}

	/**
	 * The block (rendered on the server only).
	 *
	 * @param array<string, mixed> $attributes Block attributes.
	 */
	public static function render_block( array $attributes ): string {
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
