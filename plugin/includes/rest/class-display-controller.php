<?php
/**
 * An anonymous count of one display-preferences profile.
 *
 * @package Consentry
 */

namespace Consentry\Rest;

use Consentry\Settings;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * POST /display-usage -> service POST /banner/{publicKey}/display-usage. Public: see Visitor_Controller.
 *
 * A profile can reveal a disability (health data), so this count names nobody: only `profile` is forwarded, without
 * the visitor's address, browser or any id, and the rate limit counts all visitors of the route together instead
 * of per address. The service keeps counts per site, profile and hour.
 */
final class Display_Controller extends Visitor_Controller {

	public const REST_BASE      = 'display-usage';
	public const SUCCESS_STATUS = 202;

	/**
	 * Counts per minute for the whole site, as a multiple of the `visitor_rate_limit` setting.
	 */
	public const RATE_LIMIT_FACTOR = 20;

	/**
	 * Argument schema: the service's own (the shared DisplayUsageBody).
	 *
	 * @return array<string, array<string, mixed>>
	 */
	protected function args(): array {
		return self::shared_args(
			'DisplayUsageBody',
			array( 'profile' => __( 'The display-preferences profile the visitor turned on.', 'consentry' ) )
		);
	}

	/**
	 * The site's public key names the site in the path; the body stays `{ profile }`.
	 */
	protected function service_path(): string {
		return '/banner/' . rawurlencode( Settings::public_key() ) . '/display-usage';
	}

	/**
	 * Nothing about the visitor goes to the service.
	 */
	protected function identifies_visitor(): bool {
		return false;
	}

	/**
	 * While the service is away the count is dropped, like a heartbeat's (202).
	 *
	 * @param array<string, mixed> $body       The validated fields.
	 * @param string               $ip         Unused ('').
	 * @param string               $user_agent Unused ('').
	 */
	protected function while_unavailable( array $body, string $ip, string $user_agent ): ?WP_REST_Response {
		return self::not_counted();
	}

	/**
	 * One window for every visitor: no address is kept, not even hashed.
	 */
	protected function rate_subject(): string {
		return '';
	}

	/**
	 * Refuses any field besides `profile` (400), as the service does, then forwards.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return \WP_REST_Response|WP_Error
	 */
	public function forward( WP_REST_Request $request ) {
		$extra = array_diff( array_keys( (array) $request->get_json_params() + (array) $request->get_body_params() ), array( 'profile' ) );
		if ( $extra ) {
			return new WP_Error( 'rest_invalid_param', __( 'Only the profile is counted: send { "profile": … } and nothing else.', 'consentry' ), array( 'status' => 400 ) );
		}
		return parent::forward( $request );
	}
}
