import { Notice, TextControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import type { ReactNode } from 'react';
import type { ConnectionGuide } from '../api/types.ts';
import CopyBlock from '../components/CopyBlock.tsx';
import {
	BACKUP_DIR,
	CRON_PATH,
	NIGHTLY_BACKUPS,
	setupCommands,
	unitSettings,
} from '../setup-guide.ts';

/** One numbered step: its title, what it does, and what to copy. */
function Step( {
	number,
	title,
	children,
}: {
	number: number;
	title: string;
	children: ReactNode;
} ) {
	return (
		<li className="consentry-step" data-testid={ `setup-step-${ number }` }>
			<h3 className="consentry-step__title">{ title }</h3>
			{ children }
		</li>
	);
}

/**
 * The path from a running service to a connected, supervised and backed-up one,
 * with this host's paths filled in (the same steps as the plugin's readme.txt,
 * Installation). Steps 5 (Connect) and 7 (Check) are done in the cards that follow.
 */
export default function SetupSteps( { guide }: { guide: ConnectionGuide } ) {
	const settings = unitSettings( guide.serviceUnit ?? '' );
	const [ node, setNode ] = useState( settings.node );
	const commands = setupCommands( guide, { node: node.trim() || 'node' } );

	return (
		<div className="consentry-setup">
			{ ! guide.bundleFound ? (
				<Notice status="error" isDismissible={ false }>
					{ sprintf(
						/* translators: %s: file path */
						__(
							'The service file is missing from this plugin (%s). Install the plugin from its release zip, which holds it.',
							'consentry'
						),
						guide.bundlePath
					) }
				</Notice>
			) : null }
			<dl className="consentry-facts">
				<dt>{ __( 'Service file in this WordPress', 'consentry' ) }</dt>
				<dd>
					<CopyBlock
						label={ __( 'Path of the service file', 'consentry' ) }
						text={ guide.bundlePath }
						testId="setup-bundle-path"
					/>
				</dd>
				<dt>{ __( 'Node.js needed', 'consentry' ) }</dt>
				<dd data-testid="setup-node-min">
					{ guide.nodeMin
						? sprintf(
								/* translators: %s: version, like 22.13.0 */
								__( '%s or newer', 'consentry' ),
								guide.nodeMin
						  )
						: __( 'Unknown (the service file could not be read)', 'consentry' ) }
				</dd>
			</dl>
			<p className="consentry-help">
				{ __(
					'The service runs with Node.js on this server (or copy the service file to the machine that runs it and change the paths). Run the commands as root or with sudo.',
					'consentry'
				) }
			</p>
			<ol className="consentry-steps">
				<Step
					number={ 1 }
					title={ __( 'Check Node.js', 'consentry' ) }
				>
					<p className="consentry-help">
						{ sprintf(
							/* translators: %s: version, like 22.13.0 */
							__(
								'It must print v%s or newer. The path of node goes into the commands and the systemd unit below: change it if command -v node prints another one.',
								'consentry'
							),
							guide.nodeMin ?? '22.13.0'
						) }
					</p>
					<TextControl
						__next40pxDefaultSize
						__nextHasNoMarginBottom
						label={ __( 'Path of node on this server', 'consentry' ) }
						value={ node }
						onChange={ setNode }
						spellCheck={ false }
						autoComplete="off"
					/>
					<CopyBlock
						label={ __( 'Command that prints the Node.js version', 'consentry' ) }
						text={ commands.nodeVersion }
						testId="setup-node-command"
					/>
				</Step>
				<Step
					number={ 2 }
					title={ __( 'Create the service user and its data folder', 'consentry' ) }
				>
					<p className="consentry-help">
						{ sprintf(
							/* translators: %s: folder, like /var/lib/consentry */
							__(
								'The database holds the proof of consent. It lives in %s: outside the web root (never in wp-content/uploads, which the web server serves to anyone and backup plugins copy around), on a local disk, readable by the service user only.',
								'consentry'
							),
							settings.dataDir
						) }
					</p>
					<CopyBlock
						label={ __( 'Commands that create the service user and data folder', 'consentry' ) }
						text={ commands.user }
						testId="setup-user-command"
					/>
				</Step>
				<Step
					number={ 3 }
					title={ __( 'Create an account', 'consentry' ) }
				>
					<p className="consentry-help">
						{ sprintf(
							/* translators: %s: site domain */
							__(
								'It prints the account’s secret key (ck_…) once: keep it for step 5. The service site for %s is created when you connect.',
								'consentry'
							),
							guide.siteDomain
						) }
					</p>
					<CopyBlock
						label={ __( 'Command that creates an account', 'consentry' ) }
						text={ commands.account }
						testId="setup-account-command"
					/>
				</Step>
				<Step
					number={ 4 }
					title={ __( 'Run the service under systemd', 'consentry' ) }
				>
					<p className="consentry-help">
						{ __(
							'The unit shipped with the plugin, with this server’s paths: its own user, a read-only system but for the data folder, restarted when it fails. This writes it, starts the service and starts it again at every boot:',
							'consentry'
						) }
					</p>
					{ commands.install ? (
						<CopyBlock
							label={ __( 'Commands that install and start the systemd unit', 'consentry' ) }
							text={ commands.install }
							testId="setup-install-command"
						/>
					) : (
						<Notice status="warning" isDismissible={ false }>
							{ __(
								'The systemd unit is missing from this plugin (service/consentry.service).',
								'consentry'
							) }
						</Notice>
					) }
					{ commands.unit ? (
						<details className="consentry-details">
							<summary>
								{ __( 'The systemd unit alone', 'consentry' ) }
							</summary>
							<CopyBlock
								label={ __( 'systemd unit for this server', 'consentry' ) }
								text={ commands.unit }
								testId="setup-unit"
							/>
						</details>
					) : null }
					<p className="consentry-help">
						{ __(
							'To try the service first in the foreground (Ctrl-C stops it):',
							'consentry'
						) }
					</p>
					<CopyBlock
						label={ __( 'Command that starts the service in the foreground', 'consentry' ) }
						text={ commands.serve }
						testId="setup-serve-command"
					/>
				</Step>
				<Step number={ 5 } title={ __( 'Connect this site', 'consentry' ) }>
					<p className="consentry-help">
						{ __(
							'In the Connect form below, enter the service URL and the secret key from step 3, then press Connect. The service listens on this server only:',
							'consentry'
						) }
					</p>
					<CopyBlock
						label={ __( 'Service URL to enter in the form', 'consentry' ) }
						text={ commands.serviceUrl }
						testId="setup-service-url"
					/>
				</Step>
				<Step
					number={ 6 }
					title={ __( 'Make the first backup, then one every night', 'consentry' ) }
				>
					<p className="consentry-help">
						{ sprintf(
							/* translators: %s: folder, like /var/backups/consentry */
							__(
								'A consistent copy of the database and its audit file while the service runs, in a dated folder of %s. Keep copies on another machine too.',
								'consentry'
							),
							BACKUP_DIR
						) }
					</p>
					<CopyBlock
						label={ __( 'Commands that make the first backup', 'consentry' ) }
						text={ commands.backup }
						testId="setup-backup-command"
					/>
					<p className="consentry-help">
						{ __( 'Check the copy:', 'consentry' ) }
					</p>
					<CopyBlock
						label={ __( 'Command that checks the backup', 'consentry' ) }
						text={ commands.verify }
						testId="setup-verify-command"
					/>
					<p className="consentry-help">
						{ sprintf(
							/* translators: 1: file, like /etc/cron.d/consentry; 2: number of backups kept, like 30 */
							__(
								'Every night at 03:15, as a line of %1$s: each night a new folder named by the time, the newest %2$d kept and older ones removed:',
								'consentry'
							),
							CRON_PATH,
							NIGHTLY_BACKUPS
						) }
					</p>
					<CopyBlock
						label={ __( 'Cron line of the nightly backup', 'consentry' ) }
						text={ commands.cron }
						testId="setup-cron-line"
					/>
				</Step>
				<Step number={ 7 } title={ __( 'Check', 'consentry' ) }>
					<p className="consentry-help">
						{ __(
							'Press Check at the end of this screen: it runs each step and says how to fix what fails.',
							'consentry'
						) }
					</p>
				</Step>
			</ol>
		</div>
	);
}
