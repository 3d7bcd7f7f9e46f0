/** CDK entry (cdk.json): `cdk synth -c stage=dev|prod`. */
import { UnknownStageError } from './config/stages.ts';
import { createApp } from './create-app.ts';

try {
  createApp().app.synth();
} catch (error) {
  // A wrong -c stage is a usage error: the message says it all, no stack trace.
  if (!(error instanceof UnknownStageError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
