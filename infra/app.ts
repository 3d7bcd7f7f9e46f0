/** CDK entry (cdk.json): `cdk synth -c stage=dev|prod`. */
import { createApp } from './create-app.ts';

const { app } = createApp();
app.synth();
