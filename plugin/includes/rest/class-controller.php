<?php
/**
 * What every Consentry REST controller shares.
 *
 * @package Consentry
 */

namespace Consentry\Rest;

use Consentry\Schema;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * A controller registers its routes under `consentry/v1` + its REST_BASE.
 */
abstract class Controller {

	public const REST_NAMESPACE = CONSENTRY_REST_NAMESPACE;

	/**
	 * Route base under the namespace; each controller sets its own.
	 */
	public const REST_BASE = '';

	/**
	 * Arg callbacks of an http(s) URL field.
	 */
	protected const URL_ARG = array(
		'validate_callback' => array( self::class, 'validate_http_url' ),
		'sanitize_callback' => array( self::class, 'sanitize_url' ),
	);

	/**
	 * Arg callback of a single-line text field.
	 */
	protected const TEXT_ARG = array( 'sanitize_callback' => array( self::class, 'sanitize_text' ) );

	/**
	 * Arg keys of an object field whose members the service checks: its
	 * errors name each member (`translations/tr/name`), which the admin app
	 * shows at that member's field.
	 */
	protected const MEMBERS_BY_SERVICE = array(
		'properties'           => array(),
		'patternProperties'    => array(),
		'additionalProperties' => true,
	);

	/**
	 * Registers the routes (and, in subclasses, their filters). Called on `rest_api_init`.
	 */
	public function register(): void {
		$this->register_routes();
	}

	/**
	 * Registers the controller's routes.
	 */
	abstract public function register_routes(): void;

	/**
	 * REST `args` from a request shape of the service (generated Schema::args()):
	 * each field's schema as the service has it, with the plugin's description
	 * and WordPress's own validation and sanitising, unless `$overrides` says
	 * otherwise. Fields the shape lacks are left out.
	 *
	 * @param string                              $shape     A key of Schema::SHAPES.
	 * @param array<string, string>               $fields    Field => description.
	 * @param array<string, array<string, mixed>> $overrides Field => arg keys to replace.
	 * @return array<string, array<string, mixed>>
	 */
	protected static function shared_args( string $shape, array $fields, array $overrides = array() ): array {
		$schemas = Schema::args( $shape );
		$args    = array();
		foreach ( $fields as $field => $description ) {
			if ( isset( $schemas[ $field ] ) ) {
				$args[ $field ] = ( $overrides[ $field ] ?? array() ) + array(
					'description'       => $description,
					'validate_callback' => 'rest_validate_request_arg',
					'sanitize_callback' => 'rest_sanitize_request_arg',
				) + $schemas[ $field ];
			}
		}
		return $args;
	}

	/**
	 * A service result as a REST answer. JSON text is decoded into objects so
	 * `{}` goes back to the browser as `{}`, not `[]`.
	 *
	 * @param string|array<string, mixed>|WP_Error $result Service JSON text, body, or error.
	 * @param int                                  $status Status on success.
	 * @return WP_REST_Response|WP_Error
	 */
	protected static function respond( $result, int $status = 200 ) {
		if ( is_wp_error( $result ) ) {
			return $result;
		}
		if ( is_string( $result ) ) {
			$result = '' === $result ? null : json_decode( $result );
		}
		return new WP_REST_Response( $result, $status );
	}

	/**
	 * The body fields to forward to the service, taken from the request.
	 * Object-shaped values are read from the raw JSON so `{}` stays an object
	 * (PHP's arrays cannot tell `{}` from `[]`); scalars come sanitised.
	 *
	 * @param WP_REST_Request $request Request.
	 * @param string[]        $fields  Allowed fields.
	 * @return array<string, mixed>
	 */
	protected static function forward_fields( WP_REST_Request $request, array $fields ): array {
		$raw  = json_decode( (string) $request->get_body() );
		$body = array();
		foreach ( $fields as $field ) {
			if ( ! $request->has_param( $field ) ) {
				continue;
			}
			$value = $request->get_param( $field );
			if ( is_array( $value ) && is_object( $raw ) && property_exists( $raw, $field ) ) {
				$value = $raw->$field;
			}
			$body[ $field ] = $value;
		}
		return $body;
	}

	/**
	 * Validates against the arg's schema, then a pattern check the schema cannot express.
	 *
	 * @param mixed           $value   Value.
	 * @param WP_REST_Request $request Request.
	 * @param string          $param   Parameter name.
	 * @return true|WP_Error
	 */
	public static function validate_http_url( $value, WP_REST_Request $request, string $param ) {
		$valid = rest_validate_request_arg( $value, $request, $param );
		if ( is_wp_error( $valid ) ) {
			return $valid;
		}
		$parts = wp_parse_url( (string) $value );
		if ( false === filter_var( $value, FILTER_VALIDATE_URL ) || ! in_array( $parts['scheme'] ?? '', array( 'http', 'https' ), true ) || empty( $parts['host'] ) ) {
			/* translators: %s: parameter name. */
			return new WP_Error( 'rest_invalid_param', sprintf( __( '%s must be an http or https URL.', 'consentry' ), $param ), array( 'status' => 400 ) );
		}
		return true;
	}

	/**
	 * Sanitises a single-line text argument after the schema's own sanitising.
	 *
	 * @param mixed           $value   Value.
	 * @param WP_REST_Request $request Request.
	 * @param string          $param   Parameter name.
	 * @return mixed
	 */
	public static function sanitize_text( $value, WP_REST_Request $request, string $param ) {
		$value = rest_sanitize_request_arg( $value, $request, $param );
		return is_string( $value ) ? sanitize_text_field( $value ) : $value;
	}

	/**
	 * Sanitises a URL argument.
	 *
	 * @param mixed           $value   Value.
	 * @param WP_REST_Request $request Request.
	 * @param string          $param   Parameter name.
	 * @return mixed
	 */
	public static function sanitize_url( $value, WP_REST_Request $request, string $param ) {
		$value = rest_sanitize_request_arg( $value, $request, $param );
		return is_string( $value ) ? esc_url_raw( trim( $value ), array( 'http', 'https' ) ) : $value;
	}
}
