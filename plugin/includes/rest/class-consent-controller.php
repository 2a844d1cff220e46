<?php
/**
 * A visitor's consent choice.
 *
 * @package Consentry
 */

namespace Consentry\Rest;

use Consentry\Offline_Queue;
use Consentry\Schema;
use WP_REST_Response;

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

	/**
	 * While the service is away the choice, validated, waits in the plugin's
	 * queue (Offline_Queue): the browser's beacon cannot retry, WordPress can.
	 * 202: taken, recorded later. A full queue keeps the 503.
	 *
	 * @param array<string, mixed> $body       The validated fields.
	 * @param string               $ip         The visitor's address, or ''.
	 * @param string               $user_agent The visitor's browser, or ''.
	 */
	protected function while_unavailable( array $body, string $ip, string $user_agent ): ?WP_REST_Response {
		if ( ! Offline_Queue::enqueue( $body, $ip, $user_agent ) ) {
			return null;
		}
		return new WP_REST_Response(
			array(
				'success' => true,
				'queued'  => true,
			),
			202
		);
	}

	/**
	 * The service took a choice: it is back, so choices waiting go now too.
	 */
	protected function after_forward(): void {
		Offline_Queue::after_forward();
	}

	/**
	 * Argument schema: the service's own (the shared VisitorConsentBody).
	 *
	 * @return array<string, array<string, mixed>>
	 */
	protected function args(): array {
		return self::shared_args(
			'VisitorConsentBody',
			array(
				'consentId'     => __( 'Random id of the visitor\'s consent, kept in the consent cookie.', 'consentry' ),
				'action'        => __( 'What the visitor did.', 'consentry' ),
				'categories'    => __( 'Choice per category key.', 'consentry' ),
				'policyVersion' => __( 'Policy version the visitor answered.', 'consentry' ),
				'language'      => __( 'Language of the banner (BCP 47).', 'consentry' ),
				'pageUrl'       => __( 'Page the choice was made on.', 'consentry' ),
				'gpc'           => __( 'Global Privacy Control signal was on.', 'consentry' ),
			),
			array(
				'pageUrl'    => self::URL_ARG,
				// Stricter than the service, which still takes choices for keys kept from before: no key JavaScript
				// objects inherit (`__proto__`, `constructor`, `prototype`) passes the public route.
				'categories' => array( 'patternProperties' => array( Schema::CATEGORY_KEY_PATTERN => array( 'type' => 'boolean' ) ) ),
			)
		);
	}
}
