import Type from 'typebox';
import { CategorySchema, CreateCategoryBody, Id, ReorderBody, UpdateCategoryBody } from '#shared/schemas.ts';
import type { App, RouteContext } from '../context.ts';
import { principal } from '../policies.ts';
import { errors, NoContent, SECRET, SECRET_ROUTE } from '../docs.ts';
import { SiteParams } from './sites.ts';

const CategoryParams = Type.Object({ siteId: Id, categoryId: Id });
const CategoryList = Type.Object({ data: Type.Array(CategorySchema) });

export function categoryRoutes(app: App, { sites }: RouteContext): void {
  const tags = ['categories'];

  app.get('/sites/:siteId/categories', {
    config: SECRET_ROUTE,
    schema: { operationId: 'listCategories', tags, security: SECRET, summary: 'Categories of a site, by sortOrder', params: SiteParams, response: { 200: CategoryList, ...errors(401, 403, 404) } },
  }, async (request) => {
    const { accountId } = principal(request);
    const site = await sites.owned(accountId, request.params.siteId);
    return { data: await sites.categories(site.id) };
  });

  app.post('/sites/:siteId/categories', {
    config: SECRET_ROUTE,
    schema: {
      operationId: 'createCategory',
      tags, security: SECRET, summary: 'Create a category (key unique per site: 409 otherwise)', params: SiteParams, body: CreateCategoryBody,
      response: { 201: Type.Object({ category: CategorySchema }), ...errors(400, 401, 403, 404, 409, 422) },
    },
  }, async (request, reply) => {
    const { accountId } = principal(request);
    const category = await sites.createCategory(accountId, request.params.siteId, request.body);
    return reply.code(201).send({ category });
  });

  // Registered before the :categoryId routes' siblings so "reorder" is never taken for an id.
  app.put('/sites/:siteId/categories/reorder', {
    config: SECRET_ROUTE,
    schema: {
      operationId: 'reorderCategories',
      tags, security: SECRET, summary: 'Set the order of categories', params: SiteParams, body: ReorderBody,
      response: { 200: CategoryList, ...errors(400, 401, 403, 404, 422) },
    },
  }, async (request) => {
    const { accountId } = principal(request);
    return { data: await sites.reorderCategories(accountId, request.params.siteId, request.body) };
  });

  app.patch('/sites/:siteId/categories/:categoryId', {
    config: SECRET_ROUTE,
    schema: {
      operationId: 'updateCategory',
      tags, security: SECRET, summary: 'Change a category (the key cannot change)', params: CategoryParams, body: UpdateCategoryBody,
      response: { 200: Type.Object({ category: CategorySchema }), ...errors(400, 401, 403, 404, 422) },
    },
  }, async (request) => {
    const { accountId } = principal(request);
    return { category: await sites.updateCategory(accountId, request.params.siteId, request.params.categoryId, request.body) };
  });

  app.delete('/sites/:siteId/categories/:categoryId', {
    config: SECRET_ROUTE,
    schema: {
      operationId: 'deleteCategory',
      tags, security: SECRET, summary: 'Delete a category; required ones are refused with 409', params: CategoryParams,
      response: { 204: NoContent, ...errors(401, 403, 404, 409) },
    },
  }, async (request, reply) => {
    const { accountId } = principal(request);
    await sites.deleteCategory(accountId, request.params.siteId, request.params.categoryId);
    return reply.code(204).send(null);
  });
}
