{{/* The chart's name, at most 63 characters. */}}
{{- define "cnn.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: resource names start with it. */}}
{{- define "cnn.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "cnn.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every resource. */}}
{{- define "cnn.labels" -}}
helm.sh/chart: {{ include "cnn.chart" . }}
{{ include "cnn.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "cnn.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cnn.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "cnn.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "cnn.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret with POSTGRES_URL, POSTGRES_USER, POSTGRES_PASSWORD and CNN_API_KEYS. */}}
{{- define "cnn.secretName" -}}
{{- default (include "cnn.fullname" .) .Values.existingSecret }}
{{- end }}

{{/* The image tag: image.tag, or the chart's appVersion. */}}
{{- define "cnn.tag" -}}
{{- .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{- define "cnn.apiImage" -}}
{{- printf "%s:%s" .Values.image.repository (include "cnn.tag" .) }}
{{- end }}

{{/* Workers run the gpu variant (tag + tagSuffix) when worker.gpu.enabled. */}}
{{- define "cnn.workerImage" -}}
{{- $tag := include "cnn.tag" . }}
{{- if .Values.worker.gpu.enabled }}
{{- $tag = printf "%s%s" $tag .Values.worker.gpu.tagSuffix }}
{{- end }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}

{{/*
What both Deployments' containers share: settings from the ConfigMap and the Secret, the port,
the Actuator probes and the scratch volume. Called with (dict "root" $ "role" $values).
*/}}
{{- define "cnn.containerCommon" -}}
{{- $root := .root }}
{{- $role := .role -}}
imagePullPolicy: {{ $root.Values.image.pullPolicy }}
securityContext:
  {{- toYaml $root.Values.securityContext | nindent 2 }}
envFrom:
  - configMapRef:
      name: {{ include "cnn.fullname" $root }}
  - secretRef:
      name: {{ include "cnn.secretName" $root }}
ports:
  - name: http
    containerPort: {{ $root.Values.containerPort }}
    protocol: TCP
startupProbe:
  httpGet:
    path: /actuator/health/liveness
    port: http
  periodSeconds: {{ $role.startupProbe.periodSeconds }}
  failureThreshold: {{ $role.startupProbe.failureThreshold }}
livenessProbe:
  httpGet:
    path: /actuator/health/liveness
    port: http
  periodSeconds: {{ $role.livenessProbe.periodSeconds }}
  timeoutSeconds: {{ $role.livenessProbe.timeoutSeconds }}
  failureThreshold: {{ $role.livenessProbe.failureThreshold }}
readinessProbe:
  httpGet:
    path: /actuator/health/readiness
    port: http
  periodSeconds: {{ $role.readinessProbe.periodSeconds }}
  timeoutSeconds: {{ $role.readinessProbe.timeoutSeconds }}
  failureThreshold: {{ $role.readinessProbe.failureThreshold }}
volumeMounts:
  - name: data
    mountPath: /app/data
{{- end }}

{{/* Pod-level settings both Deployments share. */}}
{{- define "cnn.podCommon" -}}
serviceAccountName: {{ include "cnn.serviceAccountName" . }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
volumes:
  - name: data
    emptyDir:
      sizeLimit: {{ .Values.dataVolume.sizeLimit }}
{{- end }}

{{/* Restarts pods when the settings change. */}}
{{- define "cnn.checksums" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- if not .Values.existingSecret }}
checksum/secret: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end }}
{{- end }}
