<?php
/**
 * One pageview.
 *
 * @package Consentry
 */

namespace Consentry\Rest;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * POST /heartbeat -> service POST /heartbeat. Public: see Visitor_Controller.
 */
final class Heartbeat_Controller extends Visitor_Controller {

	public const REST_BASE         = 'heartbeat';
	public const SERVICE_PATH      = '/heartbeat';
	public const RATE_LIMIT_FACTOR = 2;

	protected const FIELDS = array( 'session_id', 'page_url', 'referrer' );

	/**
	 * Argument schema (the same limits as the service's).
	 *
	 * @return array<string, array<string, mixed>>
	 */
	protected function args(): array {
		return array(
			'session_id' => array(
				'description'       => __( 'Random id of the browsing session.', 'consentry' ),
				'type'              => 'string',
				'pattern'           => '^[A-Za-z0-9_-]{8,64}$',
				'minLength'         => 8,
				'maxLength'         => 64,
				'required'          => true,
				'validate_callback' => 'rest_validate_request_arg',
				'sanitize_callback' => 'rest_sanitize_request_arg',
			),
			'page_url'   => array(
				'description'       => __( 'Page viewed.', 'consentry' ),
				'type'              => 'string',
				'pattern'           => '^https?://',
				'maxLength'         => 2048,
				'required'          => true,
				'validate_callback' => array( self::class, 'validate_http_url' ),
				'sanitize_callback' => array( self::class, 'sanitize_url' ),
			),
			'referrer'   => array(
				'description'       => __( 'Referrer of the page, if any.', 'consentry' ),
				'type'              => 'string',
				'maxLength'         => 2048,
				'validate_callback' => 'rest_validate_request_arg',
				'sanitize_callback' => array( self::class, 'sanitize_text' ),
			),
		);
	}
}
