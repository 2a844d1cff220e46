<?php
/**
 * A visitor's consent choice.
 *
 * @package Consentry
 */

namespace Consentry\Rest;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * POST /consent -> service POST /consent/log. Public: see Visitor_Controller.
 */
final class Consent_Controller extends Visitor_Controller {

	public const REST_BASE      = 'consent';
	public const SERVICE_PATH   = '/consent/log';
	public const SUCCESS_STATUS = 201;

	protected const FIELDS = array( 'consentId', 'action', 'categories', 'policyVersion', 'language', 'pageUrl', 'gpc' );

	/**
	 * Argument schema (the same limits as the service's).
	 *
	 * @return array<string, array<string, mixed>>
	 */
	protected function args(): array {
		$checked = array(
			'validate_callback' => 'rest_validate_request_arg',
			'sanitize_callback' => 'rest_sanitize_request_arg',
		);
		return array(
			'consentId'     => $checked + array(
				'description' => __( 'Random id of the visitor\'s consent, kept in the consent cookie.', 'consentry' ),
				'type'        => 'string',
				'pattern'     => '^[A-Za-z0-9_-]{8,64}$',
				'minLength'   => 8,
				'maxLength'   => 64,
				'required'    => true,
			),
			'action'        => $checked + array(
				'description' => __( 'What the visitor did.', 'consentry' ),
				'type'        => 'string',
				'enum'        => array( 'accept_all', 'reject_all', 'custom', 'withdraw' ),
				'required'    => true,
			),
			'categories'    => $checked + array(
				'description'          => __( 'Choice per category key.', 'consentry' ),
				'type'                 => 'object',
				'maxProperties'        => 50,
				'patternProperties'    => array( self::CATEGORY_KEY_PATTERN => array( 'type' => 'boolean' ) ),
				'additionalProperties' => false,
				'required'             => true,
			),
			'policyVersion' => $checked + array(
				'description' => __( 'Policy version the visitor answered.', 'consentry' ),
				'type'        => 'string',
				'minLength'   => 1,
				'maxLength'   => 32,
				'required'    => true,
			),
			'language'      => $checked + array(
				'description' => __( 'Language of the banner (BCP 47).', 'consentry' ),
				'type'        => 'string',
				'pattern'     => '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$',
				'maxLength'   => 35,
			),
			'pageUrl'       => array(
				'description'       => __( 'Page the choice was made on.', 'consentry' ),
				'type'              => 'string',
				'pattern'           => '^https?://',
				'maxLength'         => 2048,
				'validate_callback' => array( self::class, 'validate_http_url' ),
				'sanitize_callback' => array( self::class, 'sanitize_url' ),
			),
			'gpc'           => $checked + array(
				'description' => __( 'Global Privacy Control signal was on.', 'consentry' ),
				'type'        => 'boolean',
			),
		);
	}
}
