// The Connection screen's set-up steps, made from this host's facts (the plugin's
// GET connection/guide): the commands to copy and the systemd unit. The unit is the
// one the plugin ships (plugin/service/consentry.service, read by PHP) with this
// host's paths put in: there is no second copy of it here. Pure functions, no DOM:
// tests/unit/admin/setup-guide.test.ts runs them (and systemd-analyze on the unit).
import type { ConnectionGuide } from '#shared/consent.ts';

/** What the site owner may change on the screen. */
export interface HostChoices {
	/** The node executable on the service host (`command -v node`). */
	node: string;
}

/** Settings of the shipped unit the commands must agree with. */
export interface UnitSettings {
	/** The executable in ExecStart (the unit's default node). */
	node: string;
	user: string;
	dataDir: string;
	host: string;
	port: string;
}

/** Folder the backups go to (one dated folder per run). */
export const BACKUP_DIR = '/var/backups/consentry';
/** How many nightly backups the cron line keeps (`backup --keep`): a month. */
export const NIGHTLY_BACKUPS = 30;

/** Where the unit is installed. */
export const UNIT_PATH = '/etc/systemd/system/consentry.service';

/** Where the nightly backup's cron line goes. */
export const CRON_PATH = '/etc/cron.d/consentry';

/**
 * One word of a POSIX shell command: as it is when it holds only safe characters,
 * else single-quoted.
 *
 * @param word The word.
 */
export function shellWord( word: string ): string {
	return /^[A-Za-z0-9_@%+=:,./-]+$/.test( word )
		? word
		: `'${ word.replace( /'/g, `'\\''` ) }'`;
}

/**
 * One word of a systemd command line (ExecStart): `%` and `$` doubled (specifiers
 * and variables), double-quoted when it holds a space, a quote or a backslash.
 *
 * @param word The word.
 */
export function systemdWord( word: string ): string {
	const escaped = word.replace( /%/g, '%%' ).replace( /\$/g, '$$$$' );
	return /[\s"'\\]/.test( escaped )
		? `"${ escaped.replace( /(["\\])/g, '\\$1' ) }"`
		: escaped;
}

/** The value of a unit's first `Name=` line, or of its `Environment=KEY=value`. */
function directive( unit: string, name: string ): string | undefined {
	const line = unit
		.split( '\n' )
		.find( ( l ) => l.startsWith( `${ name }=` ) );
	return line?.slice( name.length + 1 ).trim();
}

function environment( unit: string, key: string ): string | undefined {
	const line = unit
		.split( '\n' )
		.find( ( l ) => l.startsWith( `Environment=${ key }=` ) );
	return line?.slice( `Environment=${ key }=`.length ).trim();
}

/**
 * The settings the shipped unit makes (its user, data folder, address), which the
 * commands use so that they and the unit name the same files.
 *
 * @param unit The shipped unit's text.
 */
export function unitSettings( unit: string ): UnitSettings {
	return {
		node: directive( unit, 'ExecStart' )?.split( /\s+/ )[ 0 ] || 'node',
		user: directive( unit, 'User' ) || 'consentry',
		dataDir:
			environment( unit, 'CONSENTRY_DATA_DIR' ) || '/var/lib/consentry',
		host: environment( unit, 'CONSENTRY_HOST' ) || '127.0.0.1',
		port: environment( unit, 'CONSENTRY_PORT' ) || '8787',
	};
}

/** Whether a path lies in a folder `ProtectHome=yes` hides from the service. */
const underHome = ( path: string ) => /^\/(home|root|run\/user)(\/|$)/.test( path );

/**
 * The shipped unit with this host's node and bundle in ExecStart. When either
 * lies under /home, /root or /run/user, `ProtectHome=yes` (which hides those)
 * becomes `read-only`, so that the service can still read them.
 *
 * @param unit   The shipped unit's text.
 * @param bundle Absolute path of the bundle.
 * @param node   The node executable.
 */
export function systemdUnit( unit: string, bundle: string, node: string ): string {
	let text = unit.replace(
		/^ExecStart=\S+ \S+/m,
		() => `ExecStart=${ systemdWord( node ) } ${ systemdWord( bundle ) }`
	);
	if ( underHome( bundle ) || underHome( node ) ) {
		text = text.replace( /^ProtectHome=yes$/m, 'ProtectHome=read-only' );
	}
	return text;
}

/** The commands of the set-up steps, each ready to copy. */
export interface SetupCommands {
	/** Step 1: the node version. */
	nodeVersion: string;
	/** Step 2: the service user and its data folder. */
	user: string;
	/** Step 3: an account (prints its secret key once). */
	account: string;
	/** Step 4: the service in the foreground, to try it. */
	serve: string;
	/** Step 4: the systemd unit for this host. */
	unit: string;
	/** Step 4: writes the unit and starts it. */
	install: string;
	/** Step 5: what to enter as the service URL. */
	serviceUrl: string;
	/** Step 6: the first backup. */
	backup: string;
	/** Step 6: the nightly backup, a line of /etc/cron.d/consentry, keeping the newest NIGHTLY_BACKUPS. */
	cron: string;
	/** Step 6: the backup's integrity check. */
	verify: string;
	/** The database file of the commands. */
	database: string;
}

/**
 * This host's commands.
 *
 * @param guide   The host's facts.
 * @param choices What the site owner changed.
 */
export function setupCommands(
	guide: ConnectionGuide,
	choices: HostChoices
): SetupCommands {
	const unitText = guide.serviceUnit ?? '';
	const settings = unitSettings( unitText );
	const node = shellWord( choices.node );
	const service = `${ node } ${ shellWord( guide.bundlePath ) }`;
	const database = `${ settings.dataDir }/consentry.sqlite`;
	const db = shellWord( database );
	const asUser = `sudo -u ${ shellWord( settings.user ) } `;
	const unit = unitText
		? systemdUnit( unitText, guide.bundlePath, choices.node )
		: '';
	const backupTo = `${ BACKUP_DIR }/$(date +%F)`;
	return {
		nodeVersion: `${ node } --version`,
		user: [
			`sudo useradd --system --home-dir ${ shellWord(
				settings.dataDir
			) } --shell /usr/sbin/nologin ${ shellWord( settings.user ) }`,
			`sudo install -d -o ${ shellWord( settings.user ) } -g ${ shellWord(
				settings.user
			) } -m 0700 ${ shellWord( settings.dataDir ) }`,
		].join( '\n' ),
		account: `${ asUser }${ service } accounts create --name ${ shellWord(
			guide.siteDomain
		) } --db ${ db }`,
		serve: `${ asUser }${ service } serve --host ${ settings.host } --port ${ settings.port } --db ${ db }`,
		unit,
		install: unit
			? [
					`sudo tee ${ UNIT_PATH } > /dev/null <<'CONSENTRY_UNIT'`,
					unit.replace( /\n+$/, '' ),
					'CONSENTRY_UNIT',
					'sudo systemctl daemon-reload',
					'sudo systemctl enable --now consentry',
					'systemctl status consentry --no-pager',
			  ].join( '\n' )
			: '',
		serviceUrl: `http://${ settings.host }:${ settings.port }`,
		backup: [
			`sudo install -d -o ${ shellWord( settings.user ) } -g ${ shellWord(
				settings.user
			) } -m 0700 ${ BACKUP_DIR }`,
			`${ asUser }${ service } backup --db ${ db } --out ${ backupTo }`,
		].join( '\n' ),
		// Each night a new folder named by the time, the newest NIGHTLY_BACKUPS kept.
		cron: `15 3 * * * ${ settings.user } ${ service } backup --db ${ db } --out ${ BACKUP_DIR } --keep ${ NIGHTLY_BACKUPS }`,
		verify: `${ asUser }${ service } verify --db ${ backupTo }/consentry.sqlite`,
		database,
	};
}

/** What the browser's call of a visitor route came to. */
export type VisitorProbe =
	| { status: number; code: string }
	| { status: 0; code: ''; network: true };

/** How a visitor route answered the Check's empty call, from a visitor's point of view. */
export type VisitorRouteOutcome =
	| 'reached'
	| 'cross_origin'
	| 'not_found'
	| 'blocked'
	| 'server_error'
	| 'no_answer';

/**
 * The Check sends each visitor route an empty JSON object the way the banner sends
 * its records: it records nothing, and a route that works refuses it
 * for its missing fields (WordPress: 400; the service itself: 422). A 429 is a
 * route that works too (this address sent too much).
 *
 * @param probe The answer.
 */
export function visitorRouteOutcome( probe: VisitorProbe ): VisitorRouteOutcome {
	if ( 'network' in probe ) {
		return 'no_answer';
	}
	if ( probe.code === 'consentry_cross_origin' ) {
		return 'cross_origin';
	}
	if (
		( probe.status === 400 || probe.status === 422 || probe.status === 429 ) &&
		probe.code
	) {
		return 'reached';
	}
	if ( probe.status === 404 ) {
		return 'not_found';
	}
	return probe.status >= 500 ? 'server_error' : 'blocked';
}
