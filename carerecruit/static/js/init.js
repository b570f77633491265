// Start GOV.UK Frontend's components (error summary focus, details, etc.).
import { initAll } from "../build/govuk-frontend.min.js";
initAll();
